package dev.blueshift.operator.release;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/** Pod counts of the workload objects, as their spec asks and their status reports (absent counts as 0). */
public final class PodCounts {
    private PodCounts() {}

    /** The Pods the ReplicaSet asks for (the API server's default is 1). */
    public static int desired(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    /** The Pods the ReplicaSet has, ready or not. */
    public static int existing(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null
                ? 0
                : rs.getStatus().getReplicas();
    }

    public static int ready(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                ? 0
                : rs.getStatus().getReadyReplicas();
    }

    /**
     * The ReplicaSet controller has acted on the ReplicaSet's current spec: its status counts the
     * Pods of that spec, not of an earlier size. (No generation yet: nothing to catch up with.)
     */
    public static boolean statusCurrent(ReplicaSet rs) {
        Long generation = rs.getMetadata().getGeneration();
        Long observed = rs.getStatus() == null ? null : rs.getStatus().getObservedGeneration();
        return generation == null || (observed != null && observed >= generation);
    }

    /** The Pods the Deployment has, ready or not, all its ReplicaSets together. */
    public static int existing(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReplicas() == null
                ? 0
                : d.getStatus().getReplicas();
    }

    public static int ready(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                ? 0
                : d.getStatus().getReadyReplicas();
    }
}
