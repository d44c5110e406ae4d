package dev.blueshift.operator.release.bluegreen;

/**
 * The outcome so far of a release stage's checks (pre-promotion, post-promotion). A stage with no
 * checks passes at once.
 */
public record StageVerdict(Outcome outcome, String message) {
    public enum Outcome {
        Passed,
        Running,
        Failed
    }

    public static final StageVerdict PASSED = new StageVerdict(Outcome.Passed, "no checks configured");

    public static StageVerdict running(String message) {
        return new StageVerdict(Outcome.Running, message);
    }

    public static StageVerdict failed(String message) {
        return new StageVerdict(Outcome.Failed, message);
    }
}
