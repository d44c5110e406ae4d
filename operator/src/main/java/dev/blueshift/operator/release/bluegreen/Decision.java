package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.Announcement;
import dev.blueshift.operator.release.EventReason;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.PreviousStatus;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.ReplicaSetTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One blue/green decision in the making: the observation it reads and the plan it builds. The
 * stages ({@link BlueGreenRelease}, {@link Promotion}, {@link ReplicaSetRetirement},
 * {@link ActiveServiceGuard}) each set their part of it.
 */
final class Decision {
    final BlueGreenObservation o;
    final String desired;
    final Map<String, ReplicaSetTarget> targets = new LinkedHashMap<>();
    final Set<String> consumed = new TreeSet<>();
    final List<Announcement> announcements = new ArrayList<>();
    final List<ReleaseStage> consulted = new ArrayList<>();
    private final long nextRevisionNumber;
    String stable;
    String active;
    String preview;
    String aborted;
    String abortReason;
    Instant previewReadyAt;
    /** The desired revision's promotion has started (recorded in status before its ReplicaSet scales up). */
    boolean promoting;

    boolean deleteRollingDeployment;
    Instant rollingDeploymentDeleteAt;
    boolean rolledBack;
    List<String> pruned = List.of();
    private Phase phase;
    private BlueGreenReason reason;
    private String message;
    private Instant wakeAt;
    private PodProgress lastProgress;

    Decision(BlueGreenObservation o) {
        this.o = o;
        this.desired = o.desiredRevision();
        PreviousStatus prev = o.previous();
        this.stable = prev.stableRevision() != null && o.replicaSets().containsKey(prev.stableRevision())
                ? prev.stableRevision()
                : null;
        this.active = prev.activeRevision();
        this.aborted = Objects.equals(prev.abortedRevision(), desired) ? prev.abortedRevision() : null;
        this.abortReason = aborted == null ? null : prev.abortReason();
        this.previewReadyAt = Objects.equals(prev.currentRevision(), desired) ? prev.previewReadyAt() : null;
        this.promoting = desired.equals(prev.promotingRevision());
        this.nextRevisionNumber = o.replicaSets().values().stream()
                        .mapToLong(ObservedReplicaSet::revisionNumber)
                        .max()
                        .orElse(0)
                + 1;
    }

    BlueGreenPlan plan() {
        Optional<Duration> requeue = Optional.ofNullable(wakeAt)
                .map(at -> Duration.between(o.now(), at))
                .map(d -> d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d);
        return new BlueGreenPlan(
                targets,
                pruned,
                active,
                preview,
                stable,
                phase,
                reason,
                message,
                previewReadyAt,
                promotingRevision(),
                aborted,
                abortReason,
                deleteRollingDeployment,
                rollingDeploymentDeleteAt,
                consumed,
                announcements,
                requeue,
                consulted,
                rolledBack,
                lastProgress);
    }

    /** The revision whose promotion status records: the desired one, until it is stable, aborted or rolled back. */
    private String promotingRevision() {
        return promoting && !desired.equals(stable) && !desired.equals(aborted) ? desired : null;
    }

    void target(String revision, int replicas, Instant scaleDownAt) {
        ObservedReplicaSet rs = o.replicaSets().get(revision);
        long number;
        if (rs == null) {
            number = nextRevisionNumber;
        } else if (revision.equals(desired) && rs.revisionNumber() < nextRevisionNumber - 1) {
            number = nextRevisionNumber; // released again (a rollback): it becomes the newest
        } else {
            number = rs.revisionNumber();
        }
        boolean released = revision.equals(stable) || (rs != null && rs.released());
        targets.put(revision, new ReplicaSetTarget(replicas, scaleDownAt, number, released));
    }

    void set(Phase phase, BlueGreenReason reason, String message) {
        this.phase = phase;
        this.reason = reason;
        this.message = message;
    }

    void announce(boolean warning, EventReason reason, String message) {
        announcements.add(new Announcement(warning, reason, message));
    }

    void abortWith(String why) {
        aborted = desired;
        abortReason = why;
        announce(true, EventReason.Aborted, "Revision " + desired + " aborted: " + why + ".");
    }

    /**
     * The release waits for Pods of {@code revision} to become ready: the phase given while they
     * come, Degraded once none became ready for progressDeadlineSeconds. The wait goes on either
     * way, and a Pod that becomes ready later starts the clock again.
     */
    void waitForPods(String revision, Phase waiting, BlueGreenReason why, String what) {
        int ready = o.ready(revision);
        PodProgress seen = o.previous().lastProgress();
        lastProgress = seen != null && revision.equals(seen.revision()) && ready <= seen.readyReplicas()
                ? seen
                : new PodProgress(revision, ready, o.now());
        Instant deadline = lastProgress.since().plusSeconds(o.progressDeadlineSeconds());
        if (o.now().isBefore(deadline)) {
            set(waiting, why, what);
            wake(deadline);
        } else {
            set(
                    Phase.Degraded,
                    BlueGreenReason.ProgressDeadlineExceeded,
                    what + " No Pod of revision " + revision + " became ready for " + o.progressDeadlineSeconds()
                            + " s (spec.progressDeadlineSeconds) since " + lastProgress.since()
                            + "; still waiting.");
        }
    }

    void wake(Instant at) {
        if (wakeAt == null || at.isBefore(wakeAt)) {
            wakeAt = at;
        }
    }

    String readyMessage(String revision, int of) {
        return o.ready(revision) + " of " + of + " Pods of revision " + revision + " ready.";
    }
}
