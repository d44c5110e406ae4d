package dev.blueshift.operator.api.v1alpha1.spec;

/** The release strategies the operator implements. Unknown values are rejected at admission. */
public enum StrategyType {
    /** A Deployment with a rolling update. */
    Rolling,
    /** Operator-owned ReplicaSets, an active and a preview Service switched by revision. */
    BlueGreen
}
