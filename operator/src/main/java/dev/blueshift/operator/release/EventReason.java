package dev.blueshift.operator.release;

import java.util.Optional;

/** The reasons of the Events a release announces; those that end or turn a release are counted. */
public enum EventReason {
    Promoted(ReleaseOutcome.PROMOTED),
    FastRollback(ReleaseOutcome.FAST_ROLLBACK),
    Aborted(ReleaseOutcome.ABORTED),
    RolledBack(ReleaseOutcome.ROLLED_BACK),
    Retried(null),
    ScaledDown(null),
    SwitchedToBlueGreen(null),
    SwitchedToRolling(null),
    CommandIgnored(null);

    private final ReleaseOutcome outcome;

    EventReason(ReleaseOutcome outcome) {
        this.outcome = outcome;
    }

    /** The release outcome this Event announces, if it announces one. */
    public Optional<ReleaseOutcome> outcome() {
        return Optional.ofNullable(outcome);
    }
}
