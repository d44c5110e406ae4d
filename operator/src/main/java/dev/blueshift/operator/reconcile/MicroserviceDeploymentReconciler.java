package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.analysis.MetricProviders;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.StrategyType;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.aws.AwsOutcome;
import dev.blueshift.operator.aws.AwsResources;
import dev.blueshift.operator.aws.CleanupOutcome;
import dev.blueshift.operator.config.LeaseFence;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.kube.EventRecorder;
import dev.blueshift.operator.kube.Ownership;
import dev.blueshift.operator.kube.RetiredServiceAccounts;
import dev.blueshift.operator.kube.WorkloadIdentity;
import dev.blueshift.operator.kube.WorkloadLabels;
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
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Observes an MSD and what it owns, asks the strategy's release decision what should exist, applies it. */
@ControllerConfiguration(
        name = MicroserviceDeploymentReconciler.NAME,
        fieldManager = MicroserviceDeploymentReconciler.NAME,
        // Commands are annotations, which do not change the generation: every change must reconcile.
        generationAwareEventProcessing = false)
// Never give up on an MSD: back off from 1s up to 5 minutes between attempts, for as long as it fails.
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2.0, maxInterval = 300_000)
public class MicroserviceDeploymentReconciler
        implements Reconciler<MicroserviceDeployment>, Cleaner<MicroserviceDeployment> {
    public static final String NAME = "blueshift";
    static final Duration CONFLICT_RECHECK = Duration.ofSeconds(15);

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
        return List.of(
                ownedInformer(context, Deployment.class),
                ownedInformer(context, ReplicaSet.class),
                ownedInformer(context, Service.class),
                ownedInformer(context, ServiceAccount.class),
                referencedInformer(
                        context, ConfigMap.class, ConfigReferences::configMaps, ConfigReferences::keepingDataDigest),
                referencedInformer(
                        context, Secret.class, ConfigReferences::secrets, ConfigReferences::keepingDataDigest),
                aws.alarmStateEventSource());
    }

    private static <R extends HasMetadata> InformerEventSource<R, MicroserviceDeployment> ownedInformer(
            EventSourceContext<MicroserviceDeployment> context, Class<R> type) {
        var config = InformerEventSourceConfiguration.from(type, MicroserviceDeployment.class)
                .withLabelSelector(WorkloadLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(MicroserviceDeployment.class, false))
                .withItemStore(withoutManagedFields())
                .build();
        return new InformerEventSource<>(config, context);
    }

    /**
     * ConfigMaps or Secrets an MSD's template reads: a change to one makes a new revision. The
     * cache holds every one in the cluster, so it keeps only the digest of their data.
     */
    private static <R extends HasMetadata> InformerEventSource<R, MicroserviceDeployment> referencedInformer(
            EventSourceContext<MicroserviceDeployment> context,
            Class<R> type,
            Function<PodTemplateSpec, Set<String>> references,
            UnaryOperator<R> keepingDataDigest) {
        var config = InformerEventSourceConfiguration.from(type, MicroserviceDeployment.class)
                .withSecondaryToPrimaryMapper(object -> context.getPrimaryCache()
                        .list(object.getMetadata().getNamespace())
                        .filter(msd -> references
                                .apply(msd.getSpec().getTemplate())
                                .contains(object.getMetadata().getName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((MicroserviceDeployment msd) ->
                        references.apply(msd.getSpec().getTemplate()).stream()
                                .map(name ->
                                        new ResourceID(name, msd.getMetadata().getNamespace()))
                                .collect(Collectors.toSet()))
                .withItemStore(
                        new TransformingItemStore<>(object -> keepingDataDigest.apply(withoutManagedFields(object))))
                .build();
        return new InformerEventSource<>(config, context);
    }

    /**
     * The informer caches keep objects without their managedFields, which nothing here reads (the
     * operator writes by server-side apply of objects it builds) and which are often the larger
     * part of an object: measured with `make bench-scale`.
     */
    private static <R extends HasMetadata> TransformingItemStore<R> withoutManagedFields() {
        return new TransformingItemStore<>(MicroserviceDeploymentReconciler::withoutManagedFields);
    }

    private static <R extends HasMetadata> R withoutManagedFields(R object) {
        object.getMetadata().setManagedFields(null);
        return object;
    }

    /** Release outcomes counted in blueshift_releases_total, by the Event reason that announces them. */
    private static final Map<String, String> RELEASE_OUTCOMES = Map.of(
            "Promoted", "promoted", "FastRollback", "fast_rollback", "Aborted", "aborted", "RolledBack", "rolled_back");

    /** Phases whose Event is a Warning: the release did not go as the user asked. */
    private static final Set<Phase> WARNING_PHASES =
            EnumSet.of(Phase.Degraded, Phase.Aborted, Phase.RolledBack, Phase.Failed);

    @Inject
    OperatorMetrics metrics;

    @Inject
    Tracer tracer;
    /** The MSD's IAM role and CloudWatch alarms (aws/); the finalizer is there for them. */
    @Inject
    AwsResources aws;

    @Inject
    MetricProviders providers;
    /** Refuses every write once this replica may have lost its leader lease while frozen. */
    @Inject
    LeaseFence fence;

    @Override
    public UpdateControl<MicroserviceDeployment> reconcile(
            MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
        String strategy = msd.getSpec().getStrategy().getType().name();
        Span span = tracer.spanBuilder("reconcile MicroserviceDeployment")
                .setAttribute("k8s.namespace.name", msd.getMetadata().getNamespace())
                .setAttribute("blueshift.msd", msd.getMetadata().getName())
                .setAttribute("blueshift.strategy", strategy)
                .startSpan();
        long start = System.nanoTime();
        boolean success = false;
        try (Scope ignored = span.makeCurrent()) {
            UpdateControl<MicroserviceDeployment> control = reconcileStrategy(msd, context);
            success = true;
            return control;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
            metrics.reconciled(strategy, success, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private UpdateControl<MicroserviceDeployment> reconcileStrategy(
            MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
        fence.check();
        ObservedState observed = ClusterObserver.observe(msd, context);
        OwnedObjects writer = new OwnedObjects(msd, context, fence);
        EventRecorder events = new EventRecorder(context.getClient());
        StatusRecorder status = new StatusRecorder(msd, events, context, fence);
        StrategyOutcome outcome;
        AwsOutcome awsOutcome;
        try {
            // A ServiceAccount someone else owns never gets into a role's trust policy: checked before AWS.
            Optional<String> serviceAccount = WorkloadIdentity.serviceAccountName(msd);
            serviceAccount.ifPresent(
                    name -> writer.requireOwnable(ServiceAccount.class, name, ownedServiceAccount(context, name)));
            // AWS first: the workload's ServiceAccount must exist before its Pods do.
            AwsOutcome aws = this.aws.reconcile(msd, liveRevisions(observed));
            awsOutcome = aws;
            aws.serviceAccount()
                    .ifPresent(sa -> writer.apply(
                            sa, ownedServiceAccount(context, sa.getMetadata().getName())));
            Instant now = clock.instant();
            outcome = msd.getSpec().getStrategy().getType() == StrategyType.BlueGreen
                    ? BlueGreenApplier.reconcile(
                            observed,
                            writer,
                            now,
                            new AnalysisStageChecks(msd, providers, now),
                            o -> status.write(nextStatus(msd, o, aws)))
                    : RollingApplier.reconcile(observed, writer);
            retireServiceAccounts(observed, serviceAccount, writer, context);
        } finally {
            metrics.kubeRequests("object", writer.writes());
            metrics.kubeRequests("get", writer.reads());
        }
        awsOutcome.notes().forEach(n -> events.record(msd, n.warning(), n.reason(), n.message()));
        for (Announcement a : outcome.announcements()) {
            events.record(msd, a.warning(), a.reason(), a.message());
            if (RELEASE_OUTCOMES.containsKey(a.reason())) {
                metrics.release(RELEASE_OUTCOMES.get(a.reason()));
            }
        }
        outcome.rolledBackOn().ifPresent(metrics::rollback);
        MicroserviceDeploymentStatus next = nextStatus(msd, outcome, awsOutcome);
        metrics.phase(msd, next.getPhase());
        status.write(next);
        metrics.kubeRequests("status", status.writes());
        // A command annotation goes only once status records what it asked for (above), and only if
        // it still has the value acted on: one given again meanwhile stays, to be acted on.
        boolean commandChanged = false;
        if (!outcome.consumedCommands().isEmpty()) {
            commandChanged = !consumeCommands(msd, outcome.consumedCommands(), context);
            metrics.kubeRequests("command", 1);
        }
        metrics.kubeRequests("event", events.recorded());
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
        return AwsStatusComposer.with(
                StatusComposer.applied(msd, outcome.reason(), outcome.release(), clock.instant()),
                awsOutcome,
                msd.getMetadata().getGeneration(),
                clock.instant());
    }

    private static Optional<ServiceAccount> ownedServiceAccount(Context<MicroserviceDeployment> context, String name) {
        return context.getSecondaryResources(ServiceAccount.class).stream()
                .filter(sa -> name.equals(sa.getMetadata().getName()))
                .findFirst();
    }

    /** ServiceAccounts the MSD no longer runs as lose their role annotation, and go once no Pods use them. */
    private static void retireServiceAccounts(
            ObservedState observed,
            Optional<String> current,
            OwnedObjects writer,
            Context<MicroserviceDeployment> context) {
        MicroserviceDeployment msd = observed.msd();
        List<ServiceAccount> owned = context.getSecondaryResources(ServiceAccount.class).stream()
                .filter(sa -> Ownership.isControlledBy(sa, msd))
                .toList();
        RetiredServiceAccounts.Plan plan =
                RetiredServiceAccounts.of(owned, current, observed.deployment(), observed.replicaSets());
        plan.unannotate()
                .forEach(sa -> writer.apply(
                        WorkloadServiceAccountBuilder.build(
                                msd, sa.getMetadata().getName(), Optional.empty(), false),
                        Optional.of(sa)));
        plan.delete().forEach(writer::delete);
    }

    /**
     * The revisions whose CloudWatch alarms should exist: every revision that still has a
     * ReplicaSet (pruning one by revisionHistoryLimit removes its alarms) and those status names.
     * A brand-new revision gets its alarms on the reconcile after its ReplicaSet appears.
     */
    private static Set<String> liveRevisions(ObservedState observed) {
        Set<String> revisions = new TreeSet<>();
        observed.replicaSets().forEach(rs -> {
            String revision = rs.getMetadata().getLabels().get(WorkloadLabels.REVISION);
            if (revision != null) {
                revisions.add(revision);
            }
        });
        MicroserviceDeploymentStatus status = observed.msd().getStatus();
        if (status != null) {
            for (String revision : new String[] {
                status.getCurrentRevision(),
                status.getStableRevision(),
                status.getActiveRevision(),
                status.getPreviewRevision()
            }) {
                if (revision != null) {
                    revisions.add(revision);
                }
            }
        }
        return revisions;
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().compareTo(b.get()) <= 0 ? a : b;
    }

    /** Deletes what the MSD owns in AWS (honouring deletionPolicy); Kubernetes' garbage collector does the rest. */
    @Override
    public DeleteControl cleanup(MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
        fence.check();
        CleanupOutcome outcome = aws.cleanup(msd);
        if (outcome.done()) {
            return DeleteControl.defaultDelete();
        }
        new EventRecorder(context.getClient()).warning(msd, "AwsCleanupFailed", outcome.message());
        return DeleteControl.noFinalizerRemoval()
                .rescheduleAfter(outcome.retryAfter().orElseThrow().toMillis());
    }

    /**
     * Removes the command annotations the strategy acted on, so that each runs once: a JSON patch
     * that tests each one still has the value read, so a command given again since is not lost.
     *
     * @return false when a command changed since it was read (nothing was removed)
     */
    private boolean consumeCommands(
            MicroserviceDeployment msd, Set<String> commands, Context<MicroserviceDeployment> context) {
        fence.check();
        try {
            context.getClient()
                    .resources(MicroserviceDeployment.class)
                    .inNamespace(msd.getMetadata().getNamespace())
                    .withName(msd.getMetadata().getName())
                    .patch(
                            PatchContext.of(PatchType.JSON),
                            CommandConsumption.patch(msd.getMetadata().getAnnotations(), commands));
            return true;
        } catch (KubernetesClientException e) {
            if (CommandConsumption.testFailed(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public ErrorStatusUpdateControl<MicroserviceDeployment> updateErrorStatus(
            MicroserviceDeployment msd, Context<MicroserviceDeployment> context, Exception e) {
        if (fence.fenced() || findCause(e, LeaseFence.FencedException.class) != null) {
            // This replica may have lost its lease while frozen: it writes nothing, not even an error, and exits.
            org.jboss.logging.Logger.getLogger(MicroserviceDeploymentReconciler.class)
                    .warnf(
                            "reconcile of %s/%s refused by the lease fence",
                            msd.getMetadata().getNamespace(), msd.getMetadata().getName());
            return ErrorStatusUpdateControl.<MicroserviceDeployment>noStatusUpdate()
                    .withNoRetry();
        }
        if (namespaceTerminating(e)) {
            // The namespace, and this MSD with it, is going away: nothing to report, nothing to retry.
            return ErrorStatusUpdateControl.<MicroserviceDeployment>noStatusUpdate()
                    .withNoRetry();
        }
        Ownership.ConflictException conflict = findCause(e, Ownership.ConflictException.class);
        String reason = conflict != null ? "NotOwned" : "ApplyFailed";
        String message = conflict != null ? conflict.getMessage() : describe(e);
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
        return conflict != null ? control.withNoRetry().rescheduleAfter(CONFLICT_RECHECK) : control;
    }

    /**
     * Writes an MSD's status, at most once per distinct content in a reconcile (a decision recorded
     * before it is applied is not written again), and records an Event when the phase moves.
     */
    private static final class StatusRecorder {
        private final MicroserviceDeployment msd;
        private final EventRecorder events;
        private final Context<MicroserviceDeployment> context;
        private final LeaseFence fence;
        private MicroserviceDeploymentStatus written;
        private int writes;
        private boolean unseenEdit;

        StatusRecorder(
                MicroserviceDeployment msd,
                EventRecorder events,
                Context<MicroserviceDeployment> context,
                LeaseFence fence) {
            this.msd = msd;
            this.events = events;
            this.context = context;
            this.fence = fence;
            this.written = msd.getStatus();
        }

        void write(MicroserviceDeploymentStatus next) {
            MicroserviceDeploymentStatus previous = written;
            if (next.equals(previous)) {
                return;
            }
            fence.check();
            Phase before = previous == null ? null : previous.getPhase();
            if (!Objects.equals(before, next.getPhase())) {
                String reason = "Phase" + next.getPhase();
                String message = "Phase " + (before == null ? "(none)" : before) + " -> " + next.getPhase() + ": "
                        + next.getMessage();
                events.record(msd, WARNING_PHASES.contains(next.getPhase()), reason, message);
            }
            // Through resourceOperations, so that the cache holds the written status at once and the next
            // reconcile does not see the old phase again.
            MicroserviceDeployment response =
                    context.resourceOperations().serverSideApplyPrimaryStatus(StatusPatch.of(msd, next));
            written = next;
            writes++;
            unseenEdit |= UnseenEdits.between(msd, response);
        }

        int writes() {
            return writes;
        }

        /** A status write came back with metadata or spec this reconcile did not read. */
        boolean sawUnseenEdit() {
            return unseenEdit;
        }
    }

    static boolean namespaceTerminating(Exception e) {
        KubernetesClientException k = findCause(e, KubernetesClientException.class);
        return k != null
                && k.getCode() == 403
                && k.getStatus() != null
                && k.getStatus().getDetails() != null
                && k.getStatus().getDetails().getCauses().stream()
                        .anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
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
