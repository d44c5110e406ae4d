package dev.blueshift.operator.api.v1alpha1.spec;

/** How a measured value must compare with its threshold to pass. */
public enum ThresholdCondition {
    LessThan("<"),
    LessThanOrEqual("<="),
    GreaterThan(">"),
    GreaterThanOrEqual(">=");

    private final String symbol;

    ThresholdCondition(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean passes(double value, double threshold) {
        return switch (this) {
            case LessThan -> value < threshold;
            case LessThanOrEqual -> value <= threshold;
            case GreaterThan -> value > threshold;
            case GreaterThanOrEqual -> value >= threshold;
        };
    }

    /** True when {@code a} is further from passing than {@code b}: the value to report among several series. */
    public boolean worse(double a, double b) {
        return this == LessThan || this == LessThanOrEqual ? a > b : a < b;
    }
}
