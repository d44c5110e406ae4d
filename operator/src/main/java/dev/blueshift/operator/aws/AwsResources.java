package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AwsSpec;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.api.v1alpha1.spec.aws.IamRoleSpec;
import dev.blueshift.operator.api.v1alpha1.status.AlarmStatus;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.AlarmStateEventSource;
import dev.blueshift.operator.aws.cloudwatch.AlarmSync;
import dev.blueshift.operator.aws.cloudwatch.CloudWatchAlarms;
import dev.blueshift.operator.aws.iam.GuardrailProfiles;
import dev.blueshift.operator.aws.iam.IamRoles;
import dev.blueshift.operator.aws.iam.RoleSync;
import dev.blueshift.operator.kube.WorkloadIdentity;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An MSD's AWS resources: its IAM role (IRSA, {@link RoleSync}) and the CloudWatch alarms of its
 * live revisions ({@link AlarmSync}). {@link #reconcile} brings AWS in line with the spec and
 * reports what it found; {@link #cleanup} removes what the MSD owns when it is deleted. The
 * reconciler calls nothing else.
 *
 * <p>AWS is not asked on every reconcile: only when the spec's generation or the live revisions
 * changed, when an alarm disappeared, after a failure's backoff, and every resync interval (which
 * is when drift made behind our back is corrected). In between, alarm states come from the shared
 * {@link AlarmPoller}. A terminal AWS error (the request itself is wrong) waits for a new
 * generation or the resync; an outage is retried with exponential backoff.
 */
public class AwsResources {
    public static final String IDENTITY = AwsOutcome.IDENTITY;
    public static final String ALARMS = AwsOutcome.ALARMS;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** How soon an MSD that found every AWS permit taken comes back. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    /** When an MSD was last brought in line with AWS, and what came of it. */
    /** @param notesPending its outcome's notes (Events) were not handed to a reconcile yet: a sync that finished in the background */
    private record Memo(
            long generation,
            Set<String> revisions,
            AwsOutcome outcome,
            Instant nextSync,
            int failures,
            boolean notesPending) {
        Memo(long generation, Set<String> revisions, AwsOutcome outcome, Instant nextSync, int failures) {
            this(generation, revisions, outcome, nextSync, failures, false);
        }

        Memo notesDelivered() {
            return new Memo(generation, revisions, outcome, nextSync, failures, false);
        }
    }

    private final Supplier<AwsTarget> target;
    private final Function<String, GuardrailProfiles.Resolution> guardrails;
    private final RoleSync roleSync;
    private final AlarmSync alarmSync;
    private final AlarmPoller poller;
    private final Duration resyncInterval;
    private final Duration pollInterval;
    private final Clock clock;
    private final Map<String, Memo> memos = new ConcurrentHashMap<>();
    /**
     * AWS calls run on reconcile threads. Taking a permit never waits: an MSD that finds them all
     * taken asks AWS nothing this time, keeps what is known and comes back shortly. So however slow
     * or unreachable AWS is, it holds at most this many reconcile threads, and the others go on
     * with Kubernetes work (releases, rollbacks) undisturbed.
     */
    private final Semaphore permits;

    private final int maxConcurrentSyncs;
    /**
     * How long a reconcile waits for its MSD's AWS sync. A sync that takes longer goes on in the
     * background (still holding its permit) and wakes the MSD when done; meanwhile its reconciles
     * keep what is known. So a slow AWS never holds an MSD's reconcile, and with it a rollback, for
     * longer than this.
     */
    private final Duration syncWait;

    private final Set<String> syncing = ConcurrentHashMap.newKeySet();
    private final ExecutorService syncThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blueshift-aws-sync");
        t.setDaemon(true);
        return t;
    });

    /** @param guardrails the admin's IAM rules for a namespace */
    public AwsResources(
            Supplier<AwsTarget> target,
            Function<String, GuardrailProfiles.Resolution> guardrails,
            Supplier<IamRoles> roles,
            Supplier<CloudWatchAlarms> alarms,
            AlarmPoller poller,
            Duration resyncInterval,
            Duration pollInterval,
            int maxConcurrentSyncs,
            Clock clock) {
        this(
                target,
                guardrails,
                roles,
                alarms,
                poller,
                resyncInterval,
                pollInterval,
                maxConcurrentSyncs,
                Duration.ofDays(1),
                clock);
    }

    /** @param syncWait how long a reconcile waits for its AWS sync before going on with what is known */
    public AwsResources(
            Supplier<AwsTarget> target,
            Function<String, GuardrailProfiles.Resolution> guardrails,
            Supplier<IamRoles> roles,
            Supplier<CloudWatchAlarms> alarms,
            AlarmPoller poller,
            Duration resyncInterval,
            Duration pollInterval,
            int maxConcurrentSyncs,
            Duration syncWait,
            Clock clock) {
        this.syncWait = syncWait;
        if (maxConcurrentSyncs < 1) {
            throw new IllegalArgumentException(
                    "blueshift.aws.max-concurrent-syncs must be at least 1, got " + maxConcurrentSyncs);
        }
        this.permits = new Semaphore(maxConcurrentSyncs);
        this.maxConcurrentSyncs = maxConcurrentSyncs;
        this.target = target;
        this.guardrails = guardrails;
        this.roleSync = new RoleSync(roles);
        this.alarmSync = new AlarmSync(alarms, poller);
        this.poller = poller;
        this.resyncInterval = resyncInterval;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    /** The event source that reconciles an MSD when one of its alarms changes state. */
    public AlarmStateEventSource alarmStateEventSource() {
        return new AlarmStateEventSource(poller, pollInterval);
    }

    /** Brings the MSD's role and the alarms of {@code revisions} in line with its spec. */
    public AwsOutcome reconcile(MicroserviceDeployment msd, Set<String> revisions) {
        String uid = msd.getMetadata().getUid();
        if (msd.getSpec().getAws() == null && !hasAlarmsInStatus(msd) && !hasRoleInStatus(msd)) {
            memos.remove(uid);
            poller.forget(ResourceID.fromResource(msd));
            return AwsOutcome.none();
        }
        if (syncing.contains(uid)) {
            // Its sync still runs in the background, and wakes the MSD when done.
            return deferred(msd, memos.get(uid), syncingMessage());
        }
        // The Events of a sync that finished in the background go out with the first reconcile after it,
        // whatever this one does.
        Memo pending = memos.get(uid);
        List<AwsOutcome.Note> notes =
                pending != null && pending.notesPending() && memos.replace(uid, pending, pending.notesDelivered())
                        ? pending.outcome().notes()
                        : List.of();
        AwsOutcome outcome = syncOrKnown(msd, revisions, uid);
        if (notes.isEmpty()) {
            return outcome;
        }
        List<AwsOutcome.Note> all = new ArrayList<>(notes);
        all.addAll(outcome.notes());
        return outcome.withNotes(all);
    }

    private AwsOutcome syncOrKnown(MicroserviceDeployment msd, Set<String> revisions, String uid) {
        long generation = msd.getMetadata().getGeneration() == null
                ? 0
                : msd.getMetadata().getGeneration();
        Instant now = clock.instant();
        Memo memo = memos.get(uid);
        if (memo != null
                && memo.generation() == generation
                && memo.revisions().equals(revisions)
                && now.isBefore(memo.nextSync())
                && !anyAlarmMissing(memo)) {
            // Nothing changed on our side: report the alarms' latest states, ask AWS nothing.
            AwsStatus status = copyWithStates(memo.outcome().status().orElseGet(AwsStatus::new));
            return memo.outcome().withoutNotes(status, Optional.of(Duration.between(now, memo.nextSync())));
        }
        int failures = memo != null && memo.generation() == generation ? memo.failures() : 0;
        boolean mayHaveAlarms = hasAlarmsInStatus(msd) || memo != null;
        if (!permits.tryAcquire()) {
            return deferred(msd, memo, busyMessage());
        }
        syncing.add(uid);
        ResourceID id = ResourceID.fromResource(msd);
        AtomicBoolean handedOff = new AtomicBoolean();
        Future<AwsOutcome> running;
        try {
            running = syncThreads.submit(() -> {
                try {
                    SyncResult result = sync(msd, revisions, mayHaveAlarms);
                    Duration wait = result.recoverableFailure() ? backoff(failures + 1) : resyncInterval;
                    AwsOutcome outcome = result.outcome().withRequeue(wait);
                    memos.put(
                            uid,
                            new Memo(
                                    generation,
                                    Set.copyOf(revisions),
                                    outcome,
                                    now.plus(wait),
                                    result.recoverableFailure() ? failures + 1 : 0,
                                    true));
                    return outcome;
                } finally {
                    permits.release();
                    syncing.remove(uid);
                    if (handedOff.get()) {
                        poller.wake(id);
                    }
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            syncing.remove(uid);
            throw e;
        }
        try {
            return delivered(uid, running.get(syncWait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            handedOff.set(true);
            // Finished in between: its wake may have come too early to see the hand-off (else the
            // deferred outcome's short requeue brings the MSD back).
            return running.isDone() ? delivered(uid, done(running)) : deferred(msd, memos.get(uid), syncingMessage());
        } catch (InterruptedException e) {
            handedOff.set(true);
            Thread.currentThread().interrupt();
            return deferred(msd, memos.get(uid), syncingMessage());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** This reconcile reports the sync's outcome, notes included: they are not pending any more. */
    private AwsOutcome delivered(String uid, AwsOutcome outcome) {
        memos.computeIfPresent(uid, (k, m) -> m.outcome() == outcome ? m.notesDelivered() : m);
        return outcome;
    }

    private static AwsOutcome done(Future<AwsOutcome> sync) {
        try {
            return sync.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** How many MSDs' AWS work is running now. */
    int syncsInProgress() {
        return maxConcurrentSyncs - permits.availablePermits();
    }

    /**
     * Set to "true" on an MSD being deleted, lets it go without deleting anything in AWS: the way
     * out of a cleanup AWS refuses for good (the operator's own role lacks a permission).
     */
    public static final String LEAVE_ANNOTATION = "blueshift.dev/leave-aws-resources";

    /** Whether the MSD's author asked to leave its AWS resources when it goes. */
    public static boolean leaveRequested(MicroserviceDeployment msd) {
        Map<String, String> annotations = msd.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(LEAVE_ANNOTATION));
    }

    /**
     * Forgets the MSD without a call to AWS, for {@link #LEAVE_ANNOTATION}; says what status knew of
     * in AWS (its role and alarms), which stays there.
     */
    public String leave(MicroserviceDeployment msd) {
        poller.forget(ResourceID.fromResource(msd));
        memos.remove(msd.getMetadata().getUid());
        AwsStatus status = msd.getStatus() == null ? null : msd.getStatus().getAws();
        List<String> left = new ArrayList<>();
        if (status != null && status.getRoleArn() != null) {
            left.add("IAM role " + status.getRoleArn());
        }
        if (status != null && status.getAlarms() != null) {
            status.getAlarms().stream()
                    .map(AlarmStatus::getAlarmName)
                    .filter(Objects::nonNull)
                    .forEach(a -> left.add("alarm " + a));
        }
        return left.isEmpty()
                ? "Nothing of this MSD is known in AWS; no AWS resource was deleted (" + LEAVE_ANNOTATION + ")."
                : "Left in AWS as " + LEAVE_ANNOTATION + " asked: " + String.join(", ", left)
                        + ". Delete them by hand when they are not needed.";
    }

    /** Deletes the MSD's alarms, and its role unless {@code deletionPolicy: Retain} or it is not ours. */
    public CleanupOutcome cleanup(MicroserviceDeployment msd) {
        String uid = msd.getMetadata().getUid();
        AwsSpec aws = msd.getSpec() == null ? null : msd.getSpec().getAws();
        if (aws == null && !hasAlarmsInStatus(msd) && !hasRoleInStatus(msd)) {
            poller.forget(ResourceID.fromResource(msd));
            memos.remove(uid);
            return CleanupOutcome.finished("no AWS resources");
        }
        if (syncing.contains(uid)) {
            // A sync still running in the background could make again what this deletes.
            return CleanupOutcome.retry(
                    BUSY_RETRY, "AwsBusy", "waiting for the MSD's running AWS sync to finish before deleting");
        }
        if (!permits.tryAcquire()) {
            return CleanupOutcome.retry(BUSY_RETRY, "AwsBusy", busyMessage());
        }
        try {
            AwsTarget t = target.get();
            int deleted = alarmSync.deleteAll(msd, t);
            String role = aws != null && aws.getIam() != null
                    ? roleSync.delete(
                            msd.getMetadata().getNamespace(),
                            msd.getMetadata().getName(),
                            aws.getIam().getDeletionPolicy(),
                            t)
                    : hasRoleInStatus(msd)
                            ? roleSync.delete(
                                    msd.getMetadata().getNamespace(),
                                    msd.getMetadata().getName(),
                                    policyInStatus(msd),
                                    t)
                            : "no IAM role";
            memos.remove(uid);
            return CleanupOutcome.finished(deleted + " alarm(s) deleted; " + role);
        } catch (SdkException | IllegalStateException e) {
            Memo memo = memos.get(uid);
            int failures = memo == null ? 1 : memo.failures() + 1;
            memos.put(uid, new Memo(-1, Set.of(), AwsOutcome.none(), clock.instant(), failures));
            boolean refused = AwsErrors.isTerminal(e);
            Duration wait = refused ? resyncInterval : backoff(failures);
            return CleanupOutcome.retry(
                    wait,
                    AwsErrors.reason(e),
                    "could not delete the AWS resources: " + AwsErrors.describe(e) + "; retrying in "
                            + wait.toSeconds() + "s."
                            + (refused
                                    ? " If AWS keeps refusing, either let the operator's IAM role delete them, or let"
                                            + " the MSD go and leave them in AWS: kubectl annotate msd "
                                            + msd.getMetadata().getName() + " " + LEAVE_ANNOTATION
                                            + "=true (nothing is deleted then; an Event names what is left)."
                                    : ""));
        } finally {
            permits.release();
        }
    }

    /**
     * The outcome of a reconcile that asks AWS nothing because every permit is taken: what the last
     * sync found (or what status says, after a restart) stays as it is. A new MSD's ServiceAccount
     * is not made yet, so its Pods wait for it rather than start without their role.
     */
    private AwsOutcome deferred(MicroserviceDeployment msd, Memo memo, String why) {
        if (memo != null) {
            return memo.outcome()
                    .withoutNotes(
                            copyWithStates(memo.outcome().status().orElseGet(AwsStatus::new)), Optional.of(BUSY_RETRY));
        }
        MicroserviceDeploymentStatus status = msd.getStatus();
        List<AwsOutcome.Condition> known = status == null
                ? List.of()
                : status.getConditions().stream()
                        .filter(c -> IDENTITY.equals(c.getType()) || ALARMS.equals(c.getType()))
                        .map(c -> new AwsOutcome.Condition(
                                c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()))
                        .toList();
        if (known.isEmpty()) {
            AwsSpec aws = msd.getSpec().getAws();
            List<AwsOutcome.Condition> waiting = new ArrayList<>();
            if (aws != null && aws.getIam() != null) {
                waiting.add(new AwsOutcome.Condition(IDENTITY, false, "WaitingForAws", why));
            }
            if (aws != null && aws.getAlarms() != null && !aws.getAlarms().isEmpty()) {
                waiting.add(new AwsOutcome.Condition(ALARMS, false, "WaitingForAws", why));
            }
            known = waiting;
        }
        return new AwsOutcome(
                Optional.ofNullable(status == null ? null : status.getAws()),
                known,
                Optional.empty(),
                List.of(),
                Optional.of(BUSY_RETRY));
    }

    private String syncingMessage() {
        return "Waiting for AWS: this MSD's AWS work takes longer than blueshift.aws.sync-wait (" + syncWait.toMillis()
                + " ms) and goes on in the background; AWS may be slow. Its result is applied when it ends.";
    }

    private String busyMessage() {
        return "Waiting for AWS: the AWS work of other MSDs holds every permit (blueshift.aws.max-concurrent-syncs = "
                + maxConcurrentSyncs + "); AWS may be slow or unreachable. Trying again in " + BUSY_RETRY.toSeconds()
                + " s.";
    }

    /** 1s, 2s, 4s ... up to the resync interval. */
    Duration backoff(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(20, Math.max(0, failures - 1));
        return millis >= resyncInterval.toMillis() ? resyncInterval : Duration.ofMillis(millis);
    }

    private record SyncResult(AwsOutcome outcome, boolean recoverableFailure) {}

    /** One pass over AWS for one MSD: the role, then the alarms; a failure of one does not stop the other. */
    private SyncResult sync(MicroserviceDeployment msd, Set<String> revisions, boolean mayHaveAlarms) {
        AwsSpec aws = Optional.ofNullable(msd.getSpec().getAws()).orElseGet(AwsSpec::new);
        AwsStatus previous = msd.getStatus() == null || msd.getStatus().getAws() == null
                ? new AwsStatus()
                : msd.getStatus().getAws();
        Optional<String> serviceAccount = WorkloadIdentity.serviceAccountName(msd);
        AwsStatus status = new AwsStatus();
        status.setServiceAccountName(serviceAccount.orElse(null));
        status.setRoleArn(previous.getRoleArn());
        status.setRoleDeletionPolicy(previous.getRoleDeletionPolicy());
        status.setAlarms(previous.getAlarms());
        SyncReport report = new SyncReport();
        boolean recoverable = false;
        AwsTarget t;
        try {
            t = target.get();
        } catch (SdkException | IllegalStateException e) {
            recoverable |= failed(report, aws.getIam() != null ? IDENTITY : null, e);
            recoverable |= failed(report, aws.getAlarms() != null ? ALARMS : null, e);
            return new SyncResult(outcome(msd, status, serviceAccount, report), recoverable);
        }
        if (aws.getIam() != null) {
            try {
                Optional<String> arn = roleSync.sync(
                        msd,
                        serviceAccount.orElseThrow(),
                        t,
                        guardrails.apply(msd.getMetadata().getNamespace()),
                        report);
                if (!report.wasRefused()) {
                    // A refused spec keeps what status knows of a role made earlier: it still has to go some day.
                    status.setRoleArn(arn.orElse(null));
                    status.setRoleDeletionPolicy(
                            arn.map(a -> aws.getIam().getDeletionPolicy()).orElse(null));
                }
            } catch (SdkException e) {
                recoverable |= failed(report, IDENTITY, e);
            }
        } else if (status.getRoleArn() != null) {
            // spec.aws.iam was removed: the role goes as its deletionPolicy said while it was there.
            try {
                String done = roleSync.delete(
                        msd.getMetadata().getNamespace(), msd.getMetadata().getName(), policyInStatus(msd), t);
                report.note(false, "RoleRemoved", "spec.aws.iam was removed: " + done);
                status.setRoleArn(null);
                status.setRoleDeletionPolicy(null);
            } catch (SdkException e) {
                recoverable |= failed(report, IDENTITY, e);
            }
        }
        try {
            status.setAlarms(alarmSync.sync(msd, revisions, t, mayHaveAlarms, report));
        } catch (SdkException e) {
            recoverable |= failed(report, aws.getAlarms() != null ? ALARMS : null, e);
        }
        return new SyncResult(outcome(msd, status, serviceAccount, report), recoverable);
    }

    private static AwsOutcome outcome(
            MicroserviceDeployment msd, AwsStatus status, Optional<String> serviceAccount, SyncReport report) {
        IamRoleSpec iam =
                msd.getSpec().getAws() == null ? null : msd.getSpec().getAws().getIam();
        boolean sts = iam != null && !Boolean.FALSE.equals(iam.getStsRegionalEndpoints());
        // A ServiceAccount for a role that is not there yet would let Pods start without it (the AWS
        // SDK then falls back to the node's role): it is made once the role is, and Pods wait for it.
        boolean roleMissing = iam != null && status.getRoleArn() == null;
        return new AwsOutcome(
                Optional.of(status),
                report.conditions(),
                serviceAccount
                        .filter(sa -> !roleMissing)
                        .map(sa -> WorkloadServiceAccountBuilder.build(
                                msd, sa, Optional.ofNullable(status.getRoleArn()), sts)),
                report.notes(),
                Optional.empty());
    }

    /** Reports a failed AWS call on {@code type}; true when a retry may help. */
    private static boolean failed(SyncReport report, String type, Throwable e) {
        boolean terminal = AwsErrors.isTerminal(e);
        if (type != null) {
            String message = terminal
                    ? AwsErrors.describe(e)
                            + ". Fix the spec (or the account); the operator retries on the next change or resync."
                    : "AWS did not answer well after retries: " + AwsErrors.describe(e) + ". Retrying with backoff.";
            report.condition(type, false, AwsErrors.reason(e), message);
        }
        return !terminal;
    }

    /** Alarms made for an earlier spec must go even when spec.aws went entirely. */
    private static boolean hasAlarmsInStatus(MicroserviceDeployment msd) {
        return msd.getStatus() != null
                && msd.getStatus().getAws() != null
                && !msd.getStatus().getAws().getAlarms().isEmpty();
    }

    private static boolean hasRoleInStatus(MicroserviceDeployment msd) {
        return msd.getStatus() != null
                && msd.getStatus().getAws() != null
                && msd.getStatus().getAws().getRoleArn() != null;
    }

    /** The deletionPolicy status remembers; Retain when it does not say (never delete what may have to stay). */
    private static DeletionPolicy policyInStatus(MicroserviceDeployment msd) {
        DeletionPolicy policy = msd.getStatus() == null || msd.getStatus().getAws() == null
                ? null
                : msd.getStatus().getAws().getRoleDeletionPolicy();
        return policy == null ? DeletionPolicy.Retain : policy;
    }

    private boolean anyAlarmMissing(Memo memo) {
        return memo.outcome()
                .status()
                .map(s -> s.getAlarms().stream()
                        .anyMatch(a -> poller.state(a.getAlarmName())
                                .map(AlarmPoller.MISSING::equals)
                                .orElse(false)))
                .orElse(false);
    }

    private AwsStatus copyWithStates(AwsStatus previous) {
        AwsStatus status = new AwsStatus();
        status.setRoleArn(previous.getRoleArn());
        status.setRoleDeletionPolicy(previous.getRoleDeletionPolicy());
        status.setServiceAccountName(previous.getServiceAccountName());
        status.setAlarms(previous.getAlarms().stream()
                .map(a -> new AlarmStatus(
                        a.getName(),
                        a.getRevision(),
                        a.getAlarmName(),
                        poller.state(a.getAlarmName()).orElse(a.getState())))
                .toList());
        return status;
    }
}
