package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.analysis.MetricProviders;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.StrategyType;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.aws.AwsOutcome;
import dev.blueshift.operator.aws.AwsResources;
import dev.blueshift.operator.aws.CleanupOutcome;
import dev.blueshift.operator.config.LeaseFence;
import dev.blueshift.operator.kube.WorkloadIdentity;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import dev.blueshift.operator.observability.OperatorMetrics;
import dev.blueshift.operator.release.Announcement;
import dev.blueshift.operator.release.ObservedState;
import dev.blueshift.operator.release.StrategyOutcome;
import dev.blueshift.operator.release.bluegreen.BlueGreenApplier;
import dev.blueshift.operator.release.rolling.RollingApplier;
import dev.blueshift.operator.status.AwsStatusComposer;
import dev.blueshift.operator.status.StatusComposer;
import dev.blueshift.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reconciles an MSD: observe (the informers' caches), AWS (its role and alarms), strategy (the
 * release's plan, applied), report (Events, metrics, status, consumed commands).
 */
@ControllerConfiguration(
        name = MicroserviceDeploymentReconciler.NAME,
        fieldManager = MicroserviceDeploymentReconciler.NAME,
        // Commands are annotations, which do not change the generation: every change must reconcile.
        generationAwareEventProcessing = false,
        informer = @Informer(itemStore = MsdCacheStore.class, informerListLimit = EventSources.LIST_LIMIT),
        // Deletions too: the finalizer is ours to manage (AwsFinalizer), only on an MSD with AWS
        // resources. QOSDK 7.7.3 drops this flag; BlueshiftOperator sets it again at registration.
        triggerReconcilerOnAllEvents = true)
// Never give up on an MSD: back off from 1s up to 30s between attempts, for as long as it fails (a
// 409 or a restarting API server must not leave a release waiting minutes for its next step).
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2.0, maxInterval = 30_000)
public class MicroserviceDeploymentReconciler implements Reconciler<MicroserviceDeployment> {
    public static final String NAME = "blueshift";
    static final Duration CONFLICT_RECHECK = Duration.ofSeconds(15);
    /** The condition of an MSD being deleted whose AWS resources are not gone yet. */
    static final String AWS_CLEANUP = "AwsCleanup";

    private static final Logger LOG = Logger.getLogger(MicroserviceDeploymentReconciler.class);

    private final Clock clock = Clock.systemUTC();

    @Inject
    OperatorMetrics metrics;

    @Inject
    ReconcileTracing tracing;
    /** The MSD's IAM role and CloudWatch alarms (aws/); the finalizer ({@link AwsFinalizer}) is there for them. */
    @Inject
    AwsResources aws;

    @Inject
    MetricProviders providers;
    /** Refuses every write once this replica may have lost its leader lease while frozen. */
    @Inject
    LeaseFence fence;

    @Override
    public List<EventSource<?, MicroserviceDeployment>> prepareEventSources(
            EventSourceContext<MicroserviceDeployment> context) {
        return EventSources.of(context, aws.alarmStateEventSource());
    }

    @Override
    public UpdateControl<MicroserviceDeployment> reconcile(
            MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
        if (context.isPrimaryResourceDeleted()) {
            // Gone from the API server: what the operator keeps of it in memory goes too.
            metrics.forget(msd);
            return UpdateControl.noUpdate();
        }
        if (msd.isMarkedForDeletion()) {
            return deleting(msd, context);
        }
        return tracing.traced(msd, () -> reconcileTraced(msd, context));
    }

    private UpdateControl<MicroserviceDeployment> reconcileTraced(
            MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
        fence.check();
        ObservedState observed = ClusterObserver.observe(msd, context);
        FencedClusterWriter writer = new FencedClusterWriter(msd, context, fence);
        StatusRecorder status = new StatusRecorder(msd, writer);
        try {
            Optional<String> serviceAccount = WorkloadIdentity.serviceAccountName(msd);
            // (None asked for: spec.aws just went, and the outcome may still carry the one made before.)
            boolean serviceAccountMissing = serviceAccount.isPresent()
                    && serviceAccount
                            .flatMap(name -> ownedServiceAccount(context, name))
                            .isEmpty();
            AwsOutcome awsOutcome = reconcileAws(observed, writer, context);
            StrategyOutcome outcome = msd.getSpec().getStrategy().getType() == StrategyType.BlueGreen
                    ? BlueGreenApplier.reconcile(
                            observed,
                            writer,
                            clock.instant(),
                            new AnalysisStageChecks(msd, providers, clock.instant()),
                            o -> status.write(nextStatus(msd, o, awsOutcome)))
                    : RollingApplier.reconcile(observed, writer);
            if (serviceAccountMissing && awsOutcome.serviceAccount().isPresent()) {
                // Made now, after an earlier reconcile created ReplicaSets whose Pods it refused.
                ServiceAccountWaiters.of(serviceAccount.get(), observed).forEach(writer::nudge);
            }
            ServiceAccountRetirement.retire(observed, ownedServiceAccounts(context), writer);
            return report(msd, outcome, awsOutcome, status, writer);
        } finally {
            writer.report(metrics);
        }
    }

    /**
     * AWS first: the workload's ServiceAccount must exist before its Pods do. A ServiceAccount
     * someone else owns never gets into a role's trust policy: checked before AWS.
     */
    private AwsOutcome reconcileAws(
            ObservedState observed, FencedClusterWriter writer, Context<MicroserviceDeployment> context) {
        MicroserviceDeployment msd = observed.msd();
        if (AwsFinalizer.change(msd.getMetadata().getFinalizers(), aws.mayOwnResources(msd, msd.getStatus()))
                == AwsFinalizer.Change.ADD) {
            writer.addFinalizer(AwsFinalizer.NAME); // before anything is made in AWS
        }
        WorkloadIdentity.serviceAccountName(msd)
                .ifPresent(
                        name -> writer.requireOwnable(ServiceAccount.class, name, ownedServiceAccount(context, name)));
        AwsOutcome outcome = aws.reconcile(msd, observed.liveRevisions());
        outcome.serviceAccount().ifPresent(sa -> {
            Optional<ServiceAccount> cached =
                    ownedServiceAccount(context, sa.getMetadata().getName());
            if (cached.filter(c -> WorkloadServiceAccountBuilder.holds(c, sa)).isEmpty()) {
                writer.apply(sa, cached);
            }
        });
        return outcome;
    }

    /** Events and metrics of what happened, the status, then the commands acted on go. */
    private UpdateControl<MicroserviceDeployment> report(
            MicroserviceDeployment msd,
            StrategyOutcome outcome,
            AwsOutcome awsOutcome,
            StatusRecorder status,
            FencedClusterWriter writer) {
        awsOutcome.notes().forEach(n -> writer.event(n.warning(), n.reason(), n.message()));
        for (Announcement a : outcome.announcements()) {
            writer.event(a.warning(), a.reason().name(), a.message());
            a.reason().outcome().ifPresent(metrics::release);
        }
        outcome.rolledBackOn().ifPresent(metrics::rollback);
        MicroserviceDeploymentStatus next = nextStatus(msd, outcome, awsOutcome);
        metrics.phase(msd, next.getPhase());
        status.write(next);
        // Once status no longer knows of anything in AWS (as written just now), the finalizer has nothing to hold.
        if (AwsFinalizer.change(msd.getMetadata().getFinalizers(), aws.mayOwnResources(msd, next))
                == AwsFinalizer.Change.REMOVE) {
            writer.removeFinalizer(AwsFinalizer.NAME);
        }
        // A command annotation goes only once status records what it asked for (above), and only if
        // it still has the value acted on: one given again meanwhile stays, to be acted on.
        boolean commandChanged =
                !outcome.consumedCommands().isEmpty() && !writer.removeCommands(outcome.consumedCommands());
        Optional<Duration> requeue = earliest(outcome.requeueAfter(), awsOutcome.requeueAfter());
        if (status.sawUnseenEdit() || commandChanged) {
            // The MSD changed between our read and our write (a user's command, a new spec): the
            // framework filters the events of our own status write, and with them that change, so look again now.
            requeue = Optional.of(Duration.ZERO);
        }
        UpdateControl<MicroserviceDeployment> control = UpdateControl.noUpdate();
        return requeue.map(control::rescheduleAfter).orElse(control);
    }

    private MicroserviceDeploymentStatus nextStatus(
            MicroserviceDeployment msd, StrategyOutcome outcome, AwsOutcome awsOutcome) {
        Instant now = clock.instant();
        return AwsStatusComposer.with(
                StatusComposer.applied(msd, outcome.reason(), outcome.release(), now),
                awsOutcome,
                msd.getMetadata().getGeneration(),
                now);
    }

    private static Optional<ServiceAccount> ownedServiceAccount(Context<MicroserviceDeployment> context, String name) {
        return ownedServiceAccounts(context).stream()
                .filter(sa -> name.equals(sa.getMetadata().getName()))
                .findFirst();
    }

    /** The ServiceAccounts the informer sees (ours by label; ownership is checked where it matters). */
    private static List<ServiceAccount> ownedServiceAccounts(Context<MicroserviceDeployment> context) {
        return List.copyOf(context.getSecondaryResources(ServiceAccount.class));
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().compareTo(b.get()) <= 0 ? a : b;
    }

    /**
     * An MSD being deleted: with our finalizer, deletes what it owns in AWS (honouring
     * deletionPolicy), then lets it go; Kubernetes' garbage collector does the rest. Without it
     * (someone else's finalizer holds the MSD), nothing to do.
     */
    private UpdateControl<MicroserviceDeployment> deleting(
            MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
        if (!msd.hasFinalizer(AwsFinalizer.NAME)) {
            return UpdateControl.noUpdate();
        }
        fence.check();
        FencedClusterWriter writer = new FencedClusterWriter(msd, context, fence);
        try {
            return cleanup(msd, writer);
        } finally {
            writer.report(metrics);
        }
    }

    private UpdateControl<MicroserviceDeployment> cleanup(MicroserviceDeployment msd, FencedClusterWriter writer) {
        if (AwsResources.leaveRequested(msd)) {
            writer.event(true, "AwsResourcesLeft", aws.leave(msd));
            return released(msd, writer);
        }
        CleanupOutcome outcome = aws.cleanup(msd);
        if (outcome.done()) {
            return released(msd, writer);
        }
        writer.event(true, "AwsCleanupFailed", outcome.message());
        // Status tells `kubectl describe` why the MSD stays Terminating, and the way out when AWS refuses.
        MicroserviceDeploymentStatus waiting = StatusComposer.withCondition(
                msd, AWS_CLEANUP, false, outcome.reason(), outcome.message(), clock.instant());
        if (!waiting.equals(msd.getStatus())) {
            writer.writeStatus(waiting);
        }
        return UpdateControl.<MicroserviceDeployment>noUpdate()
                .rescheduleAfter(outcome.retryAfter().orElseThrow());
    }

    /** Nothing of the deleted MSD is left in AWS (or left there on purpose): the finalizer goes, and the MSD with it. */
    private UpdateControl<MicroserviceDeployment> released(MicroserviceDeployment msd, FencedClusterWriter writer) {
        writer.removeFinalizer(AwsFinalizer.NAME);
        metrics.forget(msd);
        return UpdateControl.noUpdate();
    }

    @Override
    public ErrorStatusUpdateControl<MicroserviceDeployment> updateErrorStatus(
            MicroserviceDeployment msd, Context<MicroserviceDeployment> context, Exception e) {
        ReconcileFailure failure = ReconcileFailure.of(e, fence.fenced());
        switch (failure.kind()) {
            case FENCED:
                // This replica may have lost its lease while frozen: it writes nothing, not even an error, and exits.
                LOG.warnf(
                        "reconcile of %s/%s refused by the lease fence",
                        msd.getMetadata().getNamespace(), msd.getMetadata().getName());
                return ErrorStatusUpdateControl.<MicroserviceDeployment>noStatusUpdate()
                        .withNoRetry();
            case NAMESPACE_TERMINATING:
                return ErrorStatusUpdateControl.<MicroserviceDeployment>noStatusUpdate()
                        .withNoRetry();
            default:
                break;
        }
        // A transient API failure leaves the release where it was: the phase stays, a condition says why it waits.
        MicroserviceDeploymentStatus next = failure.kind() == ReconcileFailure.Kind.API_RETRYING
                ? StatusComposer.retrying(msd, failure.reason(), failure.message(), clock.instant())
                : StatusComposer.failed(msd, failure.reason(), failure.message(), clock.instant());
        ErrorStatusUpdateControl<MicroserviceDeployment> control;
        if (next.equals(msd.getStatus())) {
            control = ErrorStatusUpdateControl.noStatusUpdate();
        } else {
            new FencedClusterWriter(msd, context, fence).event(true, failure.reason(), failure.message());
            control = ErrorStatusUpdateControl.patchStatus(StatusPatch.of(msd, next));
        }
        // A foreign object does not go away by retrying fast, and its removal sends us no event
        // (the informers see only our objects): look again now and then instead.
        return failure.kind() == ReconcileFailure.Kind.NOT_OWNED
                ? control.withNoRetry().rescheduleAfter(CONFLICT_RECHECK)
                : control;
    }
}
