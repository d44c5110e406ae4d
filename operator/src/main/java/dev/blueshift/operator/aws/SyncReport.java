package dev.blueshift.operator.aws;

import java.util.ArrayList;
import java.util.List;

/** What one pass over AWS found worth telling: conditions for status, notes for Events. */
public final class SyncReport {
    private final List<AwsOutcome.Condition> conditions = new ArrayList<>();
    private final List<AwsOutcome.Note> notes = new ArrayList<>();
    private boolean refused;

    public void condition(String type, boolean status, String reason, String message) {
        conditions.add(new AwsOutcome.Condition(type, status, reason, message));
    }

    public void note(boolean warning, String reason, String message) {
        notes.add(new AwsOutcome.Note(warning, reason, message));
    }

    /** The admin's guardrails refused what the spec asks: nothing was asked of AWS for it. */
    public void refused() {
        refused = true;
    }

    /** Reports a failed AWS call on condition {@code type} (null: none); true when a retry may help. */
    boolean failed(String type, Throwable e) {
        boolean terminal = AwsErrors.isTerminal(e);
        if (type != null) {
            String message = terminal
                    ? AwsErrors.describe(e)
                            + ". Fix the spec (or the account); the operator retries on the next change or resync."
                    : "AWS did not answer well after retries: " + AwsErrors.describe(e) + ". Retrying with backoff.";
            condition(type, false, AwsErrors.reason(e), message);
        }
        return !terminal;
    }

    boolean wasRefused() {
        return refused;
    }

    List<AwsOutcome.Condition> conditions() {
        return List.copyOf(conditions);
    }

    List<AwsOutcome.Note> notes() {
        return List.copyOf(notes);
    }
}
