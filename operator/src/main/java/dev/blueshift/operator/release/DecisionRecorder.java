package dev.blueshift.operator.release;

/**
 * Writes the status of a decision that must be remembered before it is acted on (an abort, a
 * rollback, a command): a crash between the two then finds the decision recorded, or the command
 * still there to redo.
 */
@FunctionalInterface
public interface DecisionRecorder {
    void record(StrategyOutcome outcome);
}
