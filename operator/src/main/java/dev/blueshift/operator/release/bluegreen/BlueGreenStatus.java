package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.ProgressStatus;
import dev.blueshift.operator.api.v1alpha1.status.RollbackStatus;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.PodCounts;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservations.ObservedRelease;
import dev.blueshift.operator.status.ConditionList;
import dev.blueshift.operator.status.ReleaseView;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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
     * @param analysis the analysis status, settled
     * @param rollbackWhy why the release rolled back, if {@code plan} rolls it back
     */
    public static ReleaseView of(
            MicroserviceDeployment msd,
            ObservedRelease release,
            Optional<Deployment> deployment,
            BlueGreenPlan plan,
            AnalysisStatus analysis,
            String rollbackWhy,
            Instant now) {
        int replicas = release.replicaSets().values().stream()
                .mapToInt(PodCounts::existing)
                .sum();
        int collisions = release.revision().collisionCount();
        return new ReleaseView(
                plan.phase(),
                plan.reason(),
                plan.message(),
                replicas,
                ready(release, deployment, plan),
                release.revision().name(),
                plan.stableRevision(),
                plan.activeRevision(),
                plan.previewRevision(),
                WorkloadLabels.format(activeSelector(msd, plan)),
                WorkloadLabels.format(previewSelector(msd, plan)),
                plan.previewReadyAt(),
                progressStatus(plan.lastProgress()),
                plan.abortedRevision(),
                plan.abortReason(),
                collisions == 0 ? null : collisions,
                analysis,
                plan.rolledBack()
                        ? new RollbackStatus(now.toString(), plan.abortedRevision(), plan.stableRevision(), rollbackWhy)
                        : null);
    }

    /**
     * Ready means serving: the ready Pods of the revision the active Service selects (while a
     * switch from Rolling is in progress, every ready Pod of the MSD, the Deployment's included).
     */
    private static int ready(ObservedRelease release, Optional<Deployment> deployment, BlueGreenPlan plan) {
        if (plan.activeRevision() != null) {
            return Optional.ofNullable(release.replicaSets().get(plan.activeRevision()))
                    .map(PodCounts::ready)
                    .orElse(0);
        }
        return release.replicaSets().values().stream()
                        .mapToInt(PodCounts::ready)
                        .sum()
                + deployment.map(PodCounts::ready).orElse(0);
    }

    private static ProgressStatus progressStatus(PodProgress progress) {
        return progress == null
                ? null
                : new ProgressStatus(
                        progress.revision(), progress.readyReplicas(), ConditionList.timestamp(progress.since()));
    }
}
