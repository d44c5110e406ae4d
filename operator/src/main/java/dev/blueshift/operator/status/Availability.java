package dev.blueshift.operator.status;

/**
 * Whether an MSD serves: the Available condition, true while the Pods the active Service selects
 * include enough ready ones, whatever a release is doing (a preview, a pause, a promotion, even a
 * Degraded release while the stable revision serves). Pure.
 *
 * <p>"Enough" is what a Deployment means with its default maxUnavailable of 25%: all but a quarter
 * of spec.replicas (rounded down), so a scale-up, or one Pod in four restarting, does not make the
 * workload unavailable; and at least one Pod unless spec.replicas is 0.
 */
public final class Availability {
    /** The condition's reasons, as a Deployment's Available condition has them. */
    public static final String ENOUGH = "MinimumReplicasAvailable";

    public static final String TOO_FEW = "MinimumReplicasUnavailable";

    private Availability() {}

    /**
     * @param available the condition's status
     * @param reason {@link #ENOUGH} or {@link #TOO_FEW}
     */
    public record Verdict(boolean available, String reason, String message) {}

    /**
     * @param desired spec.replicas
     * @param servingReady the ready Pods the active Service selects (status.readyReplicas)
     */
    public static Verdict of(int desired, int servingReady) {
        int minimum = minimum(desired);
        boolean available = servingReady >= minimum;
        String message = servingReady + " ready Pods serve (at least " + minimum + " of " + desired + " needed).";
        return new Verdict(available, available ? ENOUGH : TOO_FEW, message);
    }

    /** spec.replicas less a quarter of it, rounded down: 1 of 1, 2 of 2, 3 of 3, 3 of 4, 8 of 10. */
    static int minimum(int desired) {
        return desired - desired / 4;
    }
}
