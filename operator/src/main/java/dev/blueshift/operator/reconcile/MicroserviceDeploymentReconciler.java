package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.aws.AwsOutcome;
import dev.blueshift.operator.aws.AwsResources;
import dev.blueshift.operator.aws.CleanupOutcome;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.status.AwsStatusComposer;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.inject.Inject;
import java.util.Set;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.EventRecorder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.Progress;
import dev.blueshift.operator.release.RollingRelease;
import dev.blueshift.operator.status.StatusComposer;
import dev.blueshift.operator.status.StatusPatch;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
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
import dev.blueshift.operator.kube.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Observes an MSD and what it owns, asks the release decision what should exist, applies it. */
@ControllerConfiguration(name = MicroserviceDeploymentReconciler.NAME, fieldManager = MicroserviceDeploymentReconciler.NAME)
// Never give up on an MSD: back off from 1s up to 5 minutes between attempts, for as long as it fails.
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2.0, maxInterval = 300_000)
public class MicroserviceDeploymentReconciler implements Reconciler<MicroserviceDeployment>, Cleaner<MicroserviceDeployment> {
  public static final String NAME = "blueshift";
  static final Duration CONFLICT_RECHECK = Duration.ofSeconds(15);

  private final Clock clock;
  /** The MSD's IAM role and CloudWatch alarms (aws/); the finalizer is there for them. */
  @Inject AwsResources aws;

  public MicroserviceDeploymentReconciler() {
    this(Clock.systemUTC());
  }

  MicroserviceDeploymentReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MicroserviceDeployment>> prepareEventSources(
      EventSourceContext<MicroserviceDeployment> context) {
    return List.of(ownedInformer(context, Deployment.class), ownedInformer(context, Service.class),
        ownedInformer(context, ServiceAccount.class), aws.alarmStateEventSource());
  }

  private static <R extends HasMetadata>
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
    AwsOutcome awsOutcome = aws.reconcile(msd, Set.of(PodTemplateHash.of(msd.getSpec().getTemplate())));
    awsOutcome.serviceAccount().ifPresent(sa -> applyOwned(sa, msd, context));
    RollingRelease.Desired desired = RollingRelease.desired(msd);
    Deployment applied = applyOwned(desired.deployment(), msd, context);
    applyOwned(desired.service(), msd, context);
    Progress progress = RollingRelease.progress(msd, Optional.ofNullable(applied));
    awsOutcome.notes().forEach(n -> record(context, msd, n.warning(), n.reason(), n.message()));
    UpdateControl<MicroserviceDeployment> control = withStatus(msd, AwsStatusComposer.with(
        StatusComposer.applied(msd, progress, clock.instant()), awsOutcome, msd.getMetadata().getGeneration(), clock.instant()), context);
    return awsOutcome.requeueAfter().map(control::rescheduleAfter).orElse(control);
  }

  /** Deletes what the MSD owns in AWS (honouring deletionPolicy); Kubernetes' garbage collector does the rest. */
  @Override
  public DeleteControl cleanup(MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
    CleanupOutcome outcome = aws.cleanup(msd);
    if (outcome.done()) {
      return DeleteControl.defaultDelete();
    }
    record(context, msd, true, "AwsCleanupFailed", outcome.message());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.retryAfter().orElseThrow().toMillis());
  }

  private static void record(Context<MicroserviceDeployment> context, MicroserviceDeployment msd, boolean warning, String reason, String message) {
    if (warning) {
      new EventRecorder(context.getClient()).warning(msd, reason, message);
    } else {
      new EventRecorder(context.getClient()).normal(msd, reason, message);
    }
  }

  /**
   * Server-side applies {@code desired} unless an object of that name exists that this MSD does
   * not control: the informers only see our own objects, so a cache miss is checked with a GET.
   */
  private static <R extends HasMetadata> R applyOwned(
      R desired, MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
    @SuppressWarnings("unchecked")
    Class<R> type = (Class<R>) desired.getClass();
    Optional<R> cached = context.getSecondaryResource(type);
    R existing = cached.orElseGet(() -> context.getClient().resources(type)
        .inNamespace(desired.getMetadata().getNamespace()).withName(desired.getMetadata().getName()).get());
    if (existing != null && !Ownership.isControlledBy(existing, msd)) {
      throw new Ownership.ConflictException(existing);
    }
    return context.resourceOperations().serverSideApply(desired);
  }

  @Override
  public ErrorStatusUpdateControl<MicroserviceDeployment> updateErrorStatus(
      MicroserviceDeployment msd, Context<MicroserviceDeployment> context, Exception e) {
    if (namespaceTerminating(e)) {
      // The namespace, and this MSD with it, is going away: nothing to report, nothing to retry.
      return ErrorStatusUpdateControl.<MicroserviceDeployment>noStatusUpdate().withNoRetry();
    }
    boolean conflict = findCause(e, Ownership.ConflictException.class) != null;
    String reason = conflict ? "NotOwned" : "ApplyFailed";
    String message = conflict ? findCause(e, Ownership.ConflictException.class).getMessage() : describe(e);
    MicroserviceDeploymentStatus next = StatusComposer.failed(msd, reason, message, clock.instant());
    ErrorStatusUpdateControl<MicroserviceDeployment> control;
    if (next.equals(msd.getStatus())) {
      control = ErrorStatusUpdateControl.noStatusUpdate();
    } else {
      new EventRecorder(context.getClient()).warning(msd, reason, message);
      control = ErrorStatusUpdateControl.patchStatus(StatusPatch.of(msd, next));
    }
    // A foreign object does not go away by retrying fast, and its removal sends us no event
    // (the informers see only our objects): look again now and then instead.
    return conflict ? control.withNoRetry().rescheduleAfter(CONFLICT_RECHECK) : control;
  }

  static boolean namespaceTerminating(Exception e) {
    KubernetesClientException k = findCause(e, KubernetesClientException.class);
    return k != null && k.getCode() == 403 && k.getStatus() != null && k.getStatus().getDetails() != null
        && k.getStatus().getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
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
    // Through resourceOperations, so that the cache holds the written status at once and the next
    // reconcile does not see the old phase again (which would repeat the transition's Event).
    context.resourceOperations().serverSideApplyPrimaryStatus(StatusPatch.of(msd, next));
    return UpdateControl.noUpdate();
  }

  /** The API server's own words for a rejected request, else the exception's message. */
  static String describe(Exception e) {
    KubernetesClientException k = findCause(e, KubernetesClientException.class);
    if (k != null && k.getStatus() != null && k.getStatus().getMessage() != null) {
      return k.getStatus().getMessage();
    }
    return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
  }
}
