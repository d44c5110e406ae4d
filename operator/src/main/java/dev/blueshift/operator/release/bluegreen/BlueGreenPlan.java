package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.Announcement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What should exist after this reconcile, and what the status should say.
 *
 * @param replicaSets every ReplicaSet to keep, by revision, with its size and scale-down time
 * @param prune revisions whose ReplicaSets are deleted (history beyond the limit)
 * @param activeRevision what the active Service selects; null: every Pod of the MSD (while the
 *     Rolling Deployment still serves, during a switch of strategy)
 * @param promotingRevision the revision whose promotion has started, or null: recorded so that only a
 *     decision (a promote, auto-promotion, a fast rollback) starts one, never a ReplicaSet's size
 * @param deleteRollingDeployment the switch from Rolling is complete, the Deployment goes now
 * @param rollingDeploymentDeleteAt the active Service left the Rolling Deployment, which goes at that
 *     time (kept on it, as a ReplicaSet's scale-down time): its Pods serve until kube-proxy has caught up
 * @param consumed command annotations acted on, to remove
 * @param requeueAfter when a timer (auto-promotion, scale-down) is due
 * @param consulted the stages whose verdicts this plan depends on, in the order they were read
 * @param rolledBack this plan rolls {@code abortedRevision} back after failed post-promotion checks
 * @param lastProgress while the release waits for Pods, the last progress it saw; null otherwise
 */
public record BlueGreenPlan(
        Map<String, ReplicaSetTarget> replicaSets,
        List<String> prune,
        String activeRevision,
        String previewRevision,
        String stableRevision,
        Phase phase,
        BlueGreenReason reason,
        String message,
        Instant previewReadyAt,
        String promotingRevision,
        String abortedRevision,
        String abortReason,
        boolean deleteRollingDeployment,
        Instant rollingDeploymentDeleteAt,
        Set<String> consumed,
        List<Announcement> announcements,
        Optional<Duration> requeueAfter,
        List<ReleaseStage> consulted,
        boolean rolledBack,
        PodProgress lastProgress) {

    /**
     * @param scaleDownAt when it is due to go to 0 (kept on the ReplicaSet), or null
     * @param released it completed a release once (kept on the ReplicaSet)
     */
    public record ReplicaSetTarget(int replicas, Instant scaleDownAt, long revisionNumber, boolean released) {}
}
