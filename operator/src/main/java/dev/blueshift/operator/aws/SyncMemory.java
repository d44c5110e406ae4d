package dev.blueshift.operator.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** When each MSD was last brought in line with AWS, and what came of it (by MSD uid). */
final class SyncMemory {
    /** @param notesPending its outcome's notes (Events) were not handed to a reconcile yet: a sync that finished in the background */
    record Memo(
            long generation,
            Set<String> revisions,
            AwsOutcome outcome,
            Instant nextSync,
            int failures,
            boolean notesPending) {
        Memo notesDelivered() {
            return new Memo(generation, revisions, outcome, nextSync, failures, false);
        }
    }

    private final Map<String, Memo> memos = new ConcurrentHashMap<>();

    Memo get(String uid) {
        return memos.get(uid);
    }

    void put(String uid, Memo memo) {
        memos.put(uid, memo);
    }

    void forget(String uid) {
        memos.remove(uid);
    }

    /** The notes of a sync that finished in the background, if no reconcile reported them yet; from now on one has. */
    List<AwsOutcome.Note> takePendingNotes(String uid) {
        Memo pending = memos.get(uid);
        return pending != null && pending.notesPending() && memos.replace(uid, pending, pending.notesDelivered())
                ? pending.outcome().notes()
                : List.of();
    }

    /** This reconcile reports the sync's outcome, notes included: they are not pending any more. */
    AwsOutcome delivered(String uid, AwsOutcome outcome) {
        memos.computeIfPresent(uid, (k, m) -> m.outcome() == outcome ? m.notesDelivered() : m);
        return outcome;
    }

    /** Counts a failed cleanup (the next one backs off longer); returns the failures so far. */
    int cleanupFailed(String uid, Instant now) {
        Memo memo = memos.get(uid);
        int failures = memo == null ? 1 : memo.failures() + 1;
        memos.put(uid, new Memo(-1, Set.of(), AwsOutcome.none(), now, failures, false));
        return failures;
    }
}
