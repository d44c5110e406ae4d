package dev.blueshift.operator.release.bluegreen;

import java.time.Instant;

/**
 * What the decision needs to know of one of the MSD's ReplicaSets.
 *
 * @param readyReplicas ready Pods as its status reports, at most as many as its spec asks for (a status
 *     written before a scale-down still counts the Pods being removed)
 * @param statusCurrent its status describes its current spec (status.observedGeneration has reached
 *     metadata.generation): only then may a ready count move the active Service
 * @param revisionNumber order of release, higher is newer (history pruning removes the lowest)
 * @param scaleDownAt when it is due to go to 0, or null when it is not scheduled to
 * @param released it completed a release once (was stable): only such a revision is a fast rollback
 */
public record ObservedReplicaSet(
        String revision,
        int specReplicas,
        int readyReplicas,
        boolean statusCurrent,
        long revisionNumber,
        Instant scaleDownAt,
        boolean released) {}
