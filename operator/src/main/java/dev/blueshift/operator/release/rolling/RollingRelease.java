package dev.blueshift.operator.release.rolling;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.RollingDeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;
import java.util.Optional;

/** The Rolling strategy: what should exist, and how far the rollout got. Pure functions. */
public final class RollingRelease {
    private RollingRelease() {}

    /**
     * The Deployment that should exist for {@code msd}.
     *
     * @param configDigest digest of the ConfigMaps and Secrets the template reads: when it changes,
     *     the Pods roll, as when the template changes
     */
    public static Deployment desired(MicroserviceDeployment msd, String configDigest) {
        return RollingDeploymentBuilder.build(msd, configDigest);
    }

    /** How far the rollout of {@code msd} got, judged from the Deployment the cluster reports. */
    public static Progress progress(MicroserviceDeployment msd, Optional<Deployment> observed) {
        int desired = msd.getSpec().getReplicas();
        if (observed.isEmpty()) {
            return new Progress(Phase.Progressing, "DeploymentPending", "The Deployment does not exist yet.", 0, 0);
        }
        Deployment deployment = observed.get();
        DeploymentStatus status = Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
        int replicas = orZero(status.getReplicas());
        int ready = orZero(status.getReadyReplicas());
        int updated = orZero(status.getUpdatedReplicas());
        int available = orZero(status.getAvailableReplicas());
        long generation =
                Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
        if (status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            return new Progress(
                    Phase.Progressing,
                    "DeploymentUpdating",
                    "The Deployment controller has not yet observed generation " + generation + ".",
                    replicas,
                    ready);
        }
        Optional<DeploymentCondition> stalled =
                Optional.ofNullable(status.getConditions()).orElse(java.util.List.of()).stream()
                        .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
                        .findFirst();
        if (stalled.isPresent()) {
            return new Progress(
                    Phase.Degraded,
                    Objects.requireNonNullElse(stalled.get().getReason(), "ProgressDeadlineExceeded"),
                    Objects.requireNonNullElse(stalled.get().getMessage(), "The rollout stopped making progress."),
                    replicas,
                    ready);
        }
        if (updated == desired && replicas == desired && ready == desired && available == desired) {
            return new Progress(
                    Phase.Healthy, "RolloutComplete", ready + " of " + desired + " Pods are ready.", replicas, ready);
        }
        return new Progress(
                Phase.Progressing,
                "RolloutInProgress",
                updated + " of " + desired + " Pods updated, " + ready + " ready, " + replicas + " in total.",
                replicas,
                ready);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
