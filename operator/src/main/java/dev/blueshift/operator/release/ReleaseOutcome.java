package dev.blueshift.operator.release;

/** How a release ended or turned, as blueshift_releases_total labels it. */
public enum ReleaseOutcome {
    PROMOTED("promoted"),
    FAST_ROLLBACK("fast_rollback"),
    ABORTED("aborted"),
    ROLLED_BACK("rolled_back");

    private final String label;

    ReleaseOutcome(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
