package dev.blueshift.operator.api.v1alpha1.spec.aws;

/** CloudWatch's treatment of periods without data, spelled as CloudWatch spells it. */
public enum TreatMissingData {
    breaching,
    notBreaching,
    ignore,
    missing
}
