package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AlarmStatus;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.AlarmStateEventSource;
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
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An MSD's AWS resources: its IAM role (IRSA) and the CloudWatch alarms of its live revisions.
 * {@link #reconcile} brings AWS in line with the spec and reports what it found; {@link #cleanup}
 * removes what the MSD owns when it is deleted. The reconciler calls nothing else.
 *
 * <p>AWS is not asked on every reconcile: only when the spec's generation or the live revisions
 * changed, when an alarm disappeared, after a failure's backoff, and every resync interval (which
 * is when drift made behind our back is corrected). In between, alarm states come from the shared
 * {@link AlarmPoller}. A terminal AWS error (the request itself is wrong) waits for a new
 * generation or the resync; an outage is retried with exponential backoff. The pass itself is
 * {@link AwsSync}'s; where it runs and how long a reconcile waits for it, {@link BackgroundSyncs}'.
 */
public class AwsResources {
    /** Condition types, as {@link AwsOutcome} names them (status/ reads them here). */
    public static final String IDENTITY = AwsOutcome.IDENTITY;

    public static final String ALARMS = AwsOutcome.ALARMS;

    private final AwsSync sync;
    private final AlarmPoller poller;
    private final SyncSettings settings;
    private final Clock clock;
    private final SyncMemory memory = new SyncMemory();
    private final KnownState known;
    private final BackgroundSyncs syncs;

    public AwsResources(AwsSync sync, AlarmPoller poller, SyncSettings settings, Clock clock) {
        this.sync = sync;
        this.poller = poller;
        this.settings = settings;
        this.clock = clock;
        this.known = new KnownState(poller);
        this.syncs = new BackgroundSyncs(settings, poller::wake);
    }

    /** The event source that reconciles an MSD when one of its alarms changes state. */
    public AlarmStateEventSource alarmStateEventSource() {
        return new AlarmStateEventSource(poller, settings.pollInterval());
    }

    /** Brings the MSD's role and the alarms of {@code revisions} in line with its spec. */
    public AwsOutcome reconcile(MicroserviceDeployment msd, Set<String> revisions) {
        String uid = msd.getMetadata().getUid();
        if (KnownState.nothingInAws(msd)) {
            memory.forget(uid);
            poller.forget(ResourceID.fromResource(msd));
            return AwsOutcome.none();
        }
        if (syncs.running(uid)) {
            // Its sync still runs in the background, and wakes the MSD when done.
            return deferred(msd, uid, syncs.runningMessage());
        }
        // The Events of a sync that finished in the background go out with the first reconcile after it,
        // whatever this one does.
        List<AwsOutcome.Note> notes = memory.takePendingNotes(uid);
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
        SyncMemory.Memo memo = memory.get(uid);
        if (memo != null
                && memo.generation() == generation
                && memo.revisions().equals(revisions)
                && now.isBefore(memo.nextSync())
                && !known.anyAlarmMissing(memo.outcome())) {
            // Nothing changed on our side: report the alarms' latest states, ask AWS nothing.
            return known.latest(memo.outcome(), Optional.of(Duration.between(now, memo.nextSync())));
        }
        int failures = memo != null && memo.generation() == generation ? memo.failures() : 0;
        boolean mayHaveAlarms = KnownState.hasAlarmsInStatus(msd) || memo != null;
        BackgroundSyncs.Attempt<AwsOutcome> attempt = syncs.run(uid, ResourceID.fromResource(msd), () -> {
            AwsSync.Result result = sync.run(msd, revisions, mayHaveAlarms);
            int failed = result.recoverableFailure() ? failures + 1 : 0;
            Duration wait = failed > 0 ? settings.backoff(failed) : settings.resyncInterval();
            AwsOutcome outcome = result.outcome().withRequeue(wait);
            memory.put(
                    uid, new SyncMemory.Memo(generation, Set.copyOf(revisions), outcome, now.plus(wait), failed, true));
            return outcome;
        });
        if (!attempt.started()) {
            return deferred(msd, uid, syncs.busyMessage());
        }
        return attempt.result()
                .map(outcome -> memory.delivered(uid, outcome))
                .orElseGet(() -> deferred(msd, uid, syncs.runningMessage()));
    }

    /**
     * Whether the MSD may own something in AWS, so that it must keep its finalizer: spec.aws asks
     * for something, {@code status} knows of a role or an alarm, or its AWS sync still runs.
     */
    public boolean mayOwnResources(MicroserviceDeployment msd, MicroserviceDeploymentStatus status) {
        return !KnownState.nothingInAws(msd, status)
                || syncs.running(msd.getMetadata().getUid());
    }

    /** How many MSDs' AWS work is running now. */
    int syncsInProgress() {
        return syncs.inProgress();
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
        memory.forget(msd.getMetadata().getUid());
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
        if (KnownState.nothingInAws(msd)) {
            poller.forget(ResourceID.fromResource(msd));
            memory.forget(uid);
            return CleanupOutcome.finished("no AWS resources");
        }
        if (syncs.running(uid)) {
            // A sync still running in the background could make again what this deletes.
            return CleanupOutcome.retry(
                    BackgroundSyncs.BUSY_RETRY,
                    "AwsBusy",
                    "waiting for the MSD's running AWS sync to finish before deleting");
        }
        return syncs.withPermit(() -> delete(msd, uid))
                .orElseGet(() -> CleanupOutcome.retry(BackgroundSyncs.BUSY_RETRY, "AwsBusy", syncs.busyMessage()));
    }

    private CleanupOutcome delete(MicroserviceDeployment msd, String uid) {
        try {
            String done = sync.deleteAll(msd);
            memory.forget(uid);
            return CleanupOutcome.finished(done);
        } catch (SdkException | IllegalStateException e) {
            int failures = memory.cleanupFailed(uid, clock.instant());
            boolean refused = AwsErrors.isTerminal(e);
            Duration wait = refused ? settings.resyncInterval() : settings.backoff(failures);
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
        }
    }

    private AwsOutcome deferred(MicroserviceDeployment msd, String uid, String why) {
        return known.deferred(msd, Optional.ofNullable(memory.get(uid)).map(SyncMemory.Memo::outcome), why);
    }
}
