package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.spec.BlueGreen;
import java.time.Instant;
import java.util.Map;

/**
 * Everything the blue/green decision reads, gathered from the cluster by the reconciler.
 *
 * @param desiredRevision the revision of the current spec.template (and the config it reads)
 * @param replicaSets the MSD's ReplicaSets by revision
 * @param previous the relevant part of the status as last written
 * @param rollingDeployment the Deployment left from the Rolling strategy, if any (a switch in progress)
 * @param prePromotion the verdict of the pre-promotion checks of {@code desiredRevision}, read only once its preview is ready
 * @param postPromotion the verdict of the post-promotion checks, read only once it serves
 * @param progressDeadlineSeconds how long the release may wait for Pods without one becoming ready before it is Degraded
 */
public record BlueGreenObservation(
        int replicas,
        BlueGreen settings,
        int revisionHistoryLimit,
        String desiredRevision,
        Map<String, ObservedReplicaSet> replicaSets,
        PreviousStatus previous,
        RollingDeployment rollingDeployment,
        Commands commands,
        StageVerdict prePromotion,
        StageVerdict postPromotion,
        int progressDeadlineSeconds,
        Instant now) {

    /** The status fields the decision carries from one reconcile to the next. */
    public record PreviousStatus(
            String currentRevision,
            String stableRevision,
            String activeRevision,
            Instant previewReadyAt,
            String promotingRevision,
            String abortedRevision,
            String abortReason,
            PodProgress lastProgress) {}

    /** @param readyReplicas ready Pods of the Deployment, which the active Service selects until the switch */
    /**
     * The Deployment of the Rolling strategy, during a switch to BlueGreen.
     *
     * @param deleteAt when it is due to go, once the active Service left it (kept on it), or null
     */
    public record RollingDeployment(boolean exists, int readyReplicas, Instant deleteAt) {
        public static final RollingDeployment NONE = new RollingDeployment(false, 0, null);
    }

    /** The same observation with other stage verdicts. */
    public BlueGreenObservation withVerdicts(StageVerdict pre, StageVerdict post) {
        return new BlueGreenObservation(
                replicas,
                settings,
                revisionHistoryLimit,
                desiredRevision,
                replicaSets,
                previous,
                rollingDeployment,
                commands,
                pre,
                post,
                progressDeadlineSeconds,
                now);
    }

    int previewReplicas() {
        Integer preview = settings.getPreviewReplicaCount();
        return preview == null ? replicas : Math.min(preview, replicas);
    }

    int ready(String revision) {
        ObservedReplicaSet rs = revision == null ? null : replicaSets.get(revision);
        return rs == null ? 0 : rs.readyReplicas();
    }

    /**
     * Ready Pods of {@code revision} that the active Service may move to: counted only from a
     * ReplicaSet status that describes its current spec (0 until the ReplicaSet controller caught up).
     */
    int readyToServe(String revision) {
        ObservedReplicaSet rs = revision == null ? null : replicaSets.get(revision);
        return rs == null || !rs.statusCurrent() ? 0 : rs.readyReplicas();
    }

    int specReplicas(String revision) {
        ObservedReplicaSet rs = revision == null ? null : replicaSets.get(revision);
        return rs == null ? 0 : rs.specReplicas();
    }
}
