package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.ProgressStatus;
import dev.blueshift.operator.api.v1alpha1.status.RollbackStatus;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.PodCounts;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservations.ObservedRelease;
import dev.blueshift.operator.status.ConditionList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** From a blue/green plan to what status shows: revisions, selectors, Pod counts, analysis, rollback. Pure. */
public final class BlueGreenStatus {
    private BlueGreenStatus() {}

    /** What the active Service selects: the active revision, or every Pod of the MSD while a switch from Rolling is in progress. */
    public static Map<String, String> activeSelector(MicroserviceDeployment msd, BlueGreenPlan plan) {
        return plan.activeRevision() == null
                ? WorkloadLabels.podSelector(msd)
                : WorkloadLabels.revisionSelector(msd, plan.activeRevision());
    }

    public static Map<String, String> previewSelector(MicroserviceDeployment msd, BlueGreenPlan plan) {
        return WorkloadLabels.revisionSelector(msd, plan.previewRevision());
    }

    /**
     * The status fields of the release (the reconciler adds generation, conditions and AWS).
     *
     * @param analysis the analysis status, settled
     * @param rollbackWhy why the release rolled back, if {@code plan} rolls it back
     */
    public static MicroserviceDeploymentStatus of(
            MicroserviceDeployment msd,
            ObservedRelease release,
            Optional<Deployment> deployment,
            BlueGreenPlan plan,
            AnalysisStatus analysis,
            String rollbackWhy,
            Instant now) {
        int collisions = release.revision().collisionCount();
        MicroserviceDeploymentStatus status = new MicroserviceDeploymentStatus();
        status.setPhase(plan.phase());
        status.setMessage(plan.message());
        status.setReplicas(release.replicaSets().values().stream()
                .mapToInt(PodCounts::existing)
                .sum());
        status.setReadyReplicas(serving(release, deployment, plan, PodCounts::ready, PodCounts::ready));
        status.setActiveReplicas(serving(release, deployment, plan, PodCounts::existing, PodCounts::existing));
        status.setCurrentRevision(release.revision().name());
        status.setStableRevision(plan.stableRevision());
        status.setActiveRevision(plan.activeRevision());
        status.setPreviewRevision(plan.previewRevision());
        status.setActiveSelector(WorkloadLabels.format(activeSelector(msd, plan)));
        status.setPreviewSelector(WorkloadLabels.format(previewSelector(msd, plan)));
        status.setPreviewReadyAt(Optional.ofNullable(plan.previewReadyAt())
                .map(ConditionList::timestamp)
                .orElse(null));
        status.setPromotingRevision(plan.promotingRevision());
        status.setLastProgress(progressStatus(plan.lastProgress()));
        status.setAbortedRevision(plan.abortedRevision());
        status.setAbortReason(plan.abortReason());
        status.setCollisionCount(collisions == 0 ? null : collisions);
        status.setAnalysis(analysis);
        if (plan.rolledBack()) {
            status.setLastRollback(
                    new RollbackStatus(now.toString(), plan.abortedRevision(), plan.stableRevision(), rollbackWhy));
        }
        return status;
    }

    /**
     * A count of the Pods the active Service selects: those of the active revision (while a switch
     * from Rolling is in progress, every Pod of the MSD, the Deployment's included). Ready Pods are
     * the ones that serve; all of them are what the scale subresource reports.
     */
    private static int serving(
            ObservedRelease release,
            Optional<Deployment> deployment,
            BlueGreenPlan plan,
            ToIntFunction<ReplicaSet> ofReplicaSet,
            ToIntFunction<Deployment> ofDeployment) {
        if (plan.activeRevision() != null) {
            return Optional.ofNullable(release.replicaSets().get(plan.activeRevision()))
                    .map(ofReplicaSet::applyAsInt)
                    .orElse(0);
        }
        return release.replicaSets().values().stream().mapToInt(ofReplicaSet).sum()
                + deployment.map(ofDeployment::applyAsInt).orElse(0);
    }

    private static ProgressStatus progressStatus(PodProgress progress) {
        return progress == null
                ? null
                : new ProgressStatus(
                        progress.revision(), progress.readyReplicas(), ConditionList.timestamp(progress.since()));
    }
}
