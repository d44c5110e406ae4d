package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.EventRecorder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.Progress;
import dev.blueshift.operator.release.RollingRelease;
import dev.blueshift.operator.status.StatusComposer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Observes an MSD and what it owns, asks the release decision what should exist, applies it. */
@ControllerConfiguration(name = MicroserviceDeploymentReconciler.NAME, fieldManager = MicroserviceDeploymentReconciler.NAME)
public class MicroserviceDeploymentReconciler implements Reconciler<MicroserviceDeployment> {
  public static final String NAME = "blueshift";

  private final Clock clock;

  public MicroserviceDeploymentReconciler() {
    this(Clock.systemUTC());
  }

  MicroserviceDeploymentReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MicroserviceDeployment>> prepareEventSources(
      EventSourceContext<MicroserviceDeployment> context) {
    return List.of(ownedInformer(context, Deployment.class), ownedInformer(context, Service.class));
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      InformerEventSource<R, MicroserviceDeployment> ownedInformer(
          EventSourceContext<MicroserviceDeployment> context, Class<R> type) {
    var config =
        InformerEventSourceConfiguration.from(type, MicroserviceDeployment.class)
            .withLabelSelector(WorkloadLabels.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(MicroserviceDeployment.class, false))
            .build();
    return new InformerEventSource<>(config, context);
  }

  @Override
  public UpdateControl<MicroserviceDeployment> reconcile(
      MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
    RollingRelease.Desired desired = RollingRelease.desired(msd);
    Deployment applied = context.resourceOperations().serverSideApply(desired.deployment());
    context.resourceOperations().serverSideApply(desired.service());
    Progress progress = RollingRelease.progress(msd, Optional.ofNullable(applied));
    return withStatus(msd, StatusComposer.applied(msd, progress, clock.instant()), context);
  }

  @Override
  public ErrorStatusUpdateControl<MicroserviceDeployment> updateErrorStatus(
      MicroserviceDeployment msd, Context<MicroserviceDeployment> context, Exception e) {
    String message = describe(e);
    MicroserviceDeploymentStatus next = StatusComposer.failed(msd, "ApplyFailed", message, clock.instant());
    if (next.equals(msd.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    new EventRecorder(context.getClient()).warning(msd, "ApplyFailed", message);
    msd.setStatus(next);
    return ErrorStatusUpdateControl.patchStatus(msd);
  }

  /** Writes status only when it changed, and records an Event when the phase moves. */
  private UpdateControl<MicroserviceDeployment> withStatus(
      MicroserviceDeployment msd, MicroserviceDeploymentStatus next, Context<MicroserviceDeployment> context) {
    MicroserviceDeploymentStatus previous = msd.getStatus();
    if (next.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    Phase before = previous == null ? null : previous.getPhase();
    if (!Objects.equals(before, next.getPhase())) {
      String reason = "Phase" + next.getPhase();
      String message = "Phase " + (before == null ? "(none)" : before) + " -> " + next.getPhase() + ": "
          + next.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().map(c -> c.getMessage()).orElse("");
      if (next.getPhase() == Phase.Degraded) {
        new EventRecorder(context.getClient()).warning(msd, reason, message);
      } else {
        new EventRecorder(context.getClient()).normal(msd, reason, message);
      }
    }
    msd.setStatus(next);
    return UpdateControl.patchStatus(msd);
  }

  /** The API server's own words for a rejected request, else the exception's message. */
  static String describe(Exception e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
      cause = cause.getCause();
    }
    return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
  }
}
