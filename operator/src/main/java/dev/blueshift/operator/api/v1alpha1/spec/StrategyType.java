package dev.blueshift.operator.api.v1alpha1.spec;

/** The release strategies the operator implements. Unknown values are rejected at admission. */
public enum StrategyType {
  Rolling
}
