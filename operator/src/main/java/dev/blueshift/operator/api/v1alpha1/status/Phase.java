package dev.blueshift.operator.api.v1alpha1.status;

/** The phase shown by `kubectl get msd`. */
public enum Phase {
  /** A new spec is rolling out or Pods are not all ready yet. */
  Progressing,
  /** Every desired Pod of the current spec is ready. */
  Healthy,
  /** The rollout stopped making progress (the Deployment's progress deadline passed). */
  Degraded,
  /** The operator could not apply the spec; the ReconcileError condition says why. */
  Failed
}
