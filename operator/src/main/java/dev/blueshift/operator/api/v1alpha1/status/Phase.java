package dev.blueshift.operator.api.v1alpha1.status;

/** The phase shown by `kubectl get msd`. */
public enum Phase {
    /** A new revision is being rolled out (Rolling) or its preview is scaling up (BlueGreen). */
    Progressing,
    /** BlueGreen: the preview is ready and waits for a promote command or for auto-promotion's delay. */
    Paused,
    /** BlueGreen: the new revision is scaling to full size and taking over the active Service. */
    Promoting,
    /** Every desired Pod of the current revision is ready and serves traffic. */
    Healthy,
    /** The workload is not fully ready and not progressing (progress deadline, lost Pods). */
    Degraded,
    /** BlueGreen: the current revision was aborted; the active Service stays on (or went back to) the stable one. */
    Aborted,
    /** BlueGreen: the current revision failed its post-promotion checks; the active Service went back to the stable one. */
    RolledBack,
    /** The operator could not apply the spec; the ReconcileError condition says why. */
    Failed
}
