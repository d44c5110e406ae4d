package dev.blueshift.operator.release.rolling;

import dev.blueshift.operator.api.v1alpha1.status.Phase;

/**
 * Where a release stands, as decided from observed state.
 *
 * @param reason a CamelCase word for conditions and events
 * @param message one sentence a user can act on
 */
public record Progress(Phase phase, String reason, String message, int replicas, int readyReplicas) {}
