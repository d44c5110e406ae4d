package dev.blueshift.operator.api.v1alpha1.spec;

/** What a measurement without data means; never a pass. */
public enum NoDataPolicy {
    /** Neither pass nor fail; a stage that ends without data for a metric fails with reason "no data". */
    Inconclusive,
    /** A failed measurement, counted against failureLimit. */
    Fail
}
