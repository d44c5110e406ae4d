package dev.blueshift.operator.status;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.rolling.Progress;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Composes the next status of an MSD from what the release decision concluded. Pure. */
public final class StatusComposer {
    private StatusComposer() {}

    /** The status after a successful apply, reporting {@code view}. */
    public static MicroserviceDeploymentStatus applied(MicroserviceDeployment msd, ReleaseView view, Instant now) {
        Long generation = msd.getMetadata().getGeneration();
        List<Condition> conditions = current(msd).getConditions();
        boolean healthy = view.phase() == Phase.Healthy;
        boolean inFlight =
                view.phase() == Phase.Progressing || view.phase() == Phase.Promoting || view.phase() == Phase.Paused;
        conditions = ConditionList.with(
                conditions, ConditionList.READY, healthy, view.reason(), view.message(), generation, now);
        conditions = ConditionList.with(
                conditions, ConditionList.PROGRESSING, inFlight, view.reason(), view.message(), generation, now);
        conditions = ConditionList.with(
                conditions, ConditionList.RECONCILE_ERROR, false, "Applied", "The spec was applied.", generation, now);
        MicroserviceDeploymentStatus next = new MicroserviceDeploymentStatus();
        next.setObservedGeneration(generation);
        next.setPhase(view.phase());
        next.setMessage(view.message());
        next.setReplicas(view.replicas());
        next.setReadyReplicas(view.readyReplicas());
        next.setCurrentRevision(view.currentRevision());
        next.setStableRevision(view.stableRevision());
        next.setActiveRevision(view.activeRevision());
        next.setPreviewRevision(view.previewRevision());
        next.setActiveSelector(view.activeSelector());
        next.setPreviewSelector(view.previewSelector());
        next.setPreviewReadyAt(view.previewReadyAt() == null ? null : ConditionList.timestamp(view.previewReadyAt()));
        next.setLastProgress(view.lastProgress());
        next.setAbortedRevision(view.abortedRevision());
        next.setAbortReason(view.abortReason());
        next.setCollisionCount(view.collisionCount());
        next.setAnalysis(view.analysis());
        next.setLastRollback(
                view.lastRollback() != null ? view.lastRollback() : current(msd).getLastRollback());
        next.setConditions(conditions);
        return next;
    }

    /** The view of a Rolling release: its progress, and the Service selecting every Pod of the MSD. */
    public static ReleaseView rolling(Progress progress, String revision, String activeSelector) {
        return new ReleaseView(
                progress.phase(),
                progress.reason(),
                progress.message(),
                progress.replicas(),
                progress.readyReplicas(),
                revision,
                null,
                null,
                null,
                activeSelector,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The status after the operator failed to apply the spec: the rest of status stays as observed. */
    public static MicroserviceDeploymentStatus failed(
            MicroserviceDeployment msd, String reason, String message, Instant now) {
        MicroserviceDeploymentStatus previous = current(msd);
        MicroserviceDeploymentStatus next = new MicroserviceDeploymentStatus();
        next.setObservedGeneration(msd.getMetadata().getGeneration());
        next.setPhase(Phase.Failed);
        next.setMessage(message);
        next.setReplicas(previous.getReplicas());
        next.setReadyReplicas(previous.getReadyReplicas());
        next.setCurrentRevision(previous.getCurrentRevision());
        next.setStableRevision(previous.getStableRevision());
        next.setActiveRevision(previous.getActiveRevision());
        next.setPreviewRevision(previous.getPreviewRevision());
        next.setActiveSelector(previous.getActiveSelector());
        next.setPreviewSelector(previous.getPreviewSelector());
        next.setPreviewReadyAt(previous.getPreviewReadyAt());
        next.setLastProgress(previous.getLastProgress());
        next.setAbortedRevision(previous.getAbortedRevision());
        next.setAbortReason(previous.getAbortReason());
        next.setCollisionCount(previous.getCollisionCount());
        next.setAws(previous.getAws());
        next.setAnalysis(previous.getAnalysis());
        next.setLastRollback(previous.getLastRollback());
        next.setConditions(ConditionList.with(
                previous.getConditions(),
                ConditionList.RECONCILE_ERROR,
                true,
                reason,
                message,
                msd.getMetadata().getGeneration(),
                now));
        return next;
    }

    private static MicroserviceDeploymentStatus current(MicroserviceDeployment msd) {
        return Optional.ofNullable(msd.getStatus()).orElseGet(MicroserviceDeploymentStatus::new);
    }
}
