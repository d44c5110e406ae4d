package dev.blueshift.operator.status;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.Progress;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Composes the next status of an MSD from what the release decision concluded. Pure. */
public final class StatusComposer {
  private StatusComposer() {}

  /** The status after a successful apply, reporting {@code progress}. */
  public static MicroserviceDeploymentStatus applied(MicroserviceDeployment msd, Progress progress, Instant now) {
    Long generation = msd.getMetadata().getGeneration();
    List<Condition> conditions = current(msd).getConditions();
    boolean healthy = progress.phase() == Phase.Healthy;
    boolean progressing = progress.phase() == Phase.Progressing;
    conditions = ConditionList.with(conditions, ConditionList.READY, healthy, progress.reason(), progress.message(), generation, now);
    conditions = ConditionList.with(conditions, ConditionList.PROGRESSING, progressing, progress.reason(), progress.message(), generation, now);
    conditions = ConditionList.with(conditions, ConditionList.RECONCILE_ERROR, false, "Applied", "The spec was applied.", generation, now);
    MicroserviceDeploymentStatus next = new MicroserviceDeploymentStatus();
    next.setObservedGeneration(generation);
    next.setPhase(progress.phase());
    next.setReplicas(progress.replicas());
    next.setReadyReplicas(progress.readyReplicas());
    next.setConditions(conditions);
    return next;
  }

  /** The status after the operator failed to apply the spec: the rest of status stays as observed. */
  public static MicroserviceDeploymentStatus failed(MicroserviceDeployment msd, String reason, String message, Instant now) {
    MicroserviceDeploymentStatus previous = current(msd);
    MicroserviceDeploymentStatus next = new MicroserviceDeploymentStatus();
    next.setObservedGeneration(msd.getMetadata().getGeneration());
    next.setPhase(Phase.Failed);
    next.setReplicas(previous.getReplicas());
    next.setReadyReplicas(previous.getReadyReplicas());
    next.setAws(previous.getAws());
    next.setConditions(
        ConditionList.with(
            previous.getConditions(), ConditionList.RECONCILE_ERROR, true, reason, message, msd.getMetadata().getGeneration(), now));
    return next;
  }

  private static MicroserviceDeploymentStatus current(MicroserviceDeployment msd) {
    return Optional.ofNullable(msd.getStatus()).orElseGet(MicroserviceDeploymentStatus::new);
  }
}
