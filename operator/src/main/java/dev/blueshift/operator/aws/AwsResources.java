package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.AlarmStateEventSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    /** How many MSDs' AWS work is running now. */
    int syncsInProgress() {
        return syncs.inProgress();
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
                    BackgroundSyncs.BUSY_RETRY, "waiting for the MSD's running AWS sync to finish before deleting");
        }
        return syncs.withPermit(() -> delete(msd, uid))
                .orElseGet(() -> CleanupOutcome.retry(BackgroundSyncs.BUSY_RETRY, syncs.busyMessage()));
    }

    private CleanupOutcome delete(MicroserviceDeployment msd, String uid) {
        try {
            String done = sync.deleteAll(msd);
            memory.forget(uid);
            return CleanupOutcome.finished(done);
        } catch (SdkException | IllegalStateException e) {
            int failures = memory.cleanupFailed(uid, clock.instant());
            Duration wait = AwsErrors.isTerminal(e) ? settings.resyncInterval() : settings.backoff(failures);
            return CleanupOutcome.retry(wait, "could not delete the AWS resources: " + AwsErrors.describe(e));
        }
    }

    private AwsOutcome deferred(MicroserviceDeployment msd, String uid, String why) {
        return known.deferred(msd, Optional.ofNullable(memory.get(uid)).map(SyncMemory.Memo::outcome), why);
    }
}
