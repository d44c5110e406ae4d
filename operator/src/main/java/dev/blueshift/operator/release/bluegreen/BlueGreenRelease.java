package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.PreviousStatus;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.Announcement;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.ReplicaSetTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The blue/green release decision: from observed state to the next plan. Pure: no clients, no
 * clock but the observation's {@code now}, so every state and transition is a table-driven test.
 *
 * <p>The rules, in order: the stable revision keeps its full size until another revision has
 * completed a release; a new revision is scaled to the preview size behind the preview Service;
 * once ready and past its pre-promotion checks it waits for a promote command or auto-promotion;
 * promotion scales it to full size, and only when all its Pods are ready does the active Service
 * move; after its post-promotion checks it becomes stable, and the previous one scales down after
 * scaleDownDelaySeconds. The active Service never moves to a revision without a ready Pod. While
 * it waits for Pods, a release where none became ready for progressDeadlineSeconds is Degraded
 * (and goes on waiting).
 */
public final class BlueGreenRelease {
    /** How the abort reason of a rollback begins; the phase of such an abort is RolledBack. */
    static final String ROLLBACK_REASON = "post-promotion checks failed: ";

    private BlueGreenRelease() {}

    public static BlueGreenPlan decide(BlueGreenObservation observation) {
        return new Decision(observation).decide();
    }

    private static final class Decision {
        private final BlueGreenObservation o;
        private final String desired;
        private final Map<String, ReplicaSetTarget> targets = new LinkedHashMap<>();
        private final Set<String> consumed = new TreeSet<>();
        private final List<Announcement> announcements = new ArrayList<>();
        private final long nextRevisionNumber;
        private String stable;
        private String active;
        private String preview;
        private String aborted;
        private String abortReason;
        private Instant previewReadyAt;
        private Phase phase;
        private String reason;
        private String message;
        private boolean deleteRollingDeployment;
        private Instant wakeAt;
        private PodProgress lastProgress;
        private final List<ReleaseStage> consulted = new ArrayList<>();
        private boolean rolledBack;

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
            this.nextRevisionNumber = o.replicaSets().values().stream()
                            .mapToLong(ObservedReplicaSet::revisionNumber)
                            .max()
                            .orElse(0)
                    + 1;
        }

        BlueGreenPlan decide() {
            applyCommands();
            if (stable == null) {
                firstRelease();
            } else if (desired.equals(stable)) {
                steady();
            } else if (desired.equals(aborted)) {
                abortedRelease();
            } else {
                release();
            }
            retireOthers();
            keepActiveOnReadyPods();
            markStableReleased();
            Optional<Duration> requeue = Optional.ofNullable(wakeAt)
                    .map(at -> Duration.between(o.now(), at))
                    .map(d -> d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d);
            return new BlueGreenPlan(
                    targets,
                    prune(),
                    active,
                    preview,
                    stable,
                    phase,
                    reason,
                    message,
                    previewReadyAt,
                    aborted,
                    abortReason,
                    deleteRollingDeployment,
                    consumed,
                    announcements,
                    requeue,
                    consulted,
                    rolledBack,
                    lastProgress);
        }

        /**
         * Abort before retry: a retry only means something after an abort, so when both are there
         * (the abort recorded but its annotation not yet removed, or both given before the operator
         * looked) the retry came last and wins.
         */
        private void applyCommands() {
            Commands commands = o.commands();
            if (commands.abort()) {
                consumed.add(Commands.ABORT);
                if (stable != null && !desired.equals(stable) && aborted == null) {
                    abortWith("aborted by the user");
                }
            }
            if (commands.retry()) {
                consumed.add(Commands.RETRY);
                if (aborted != null) {
                    announce(false, "Retried", "Retrying revision " + aborted + " (was aborted: " + abortReason + ").");
                    aborted = null;
                    abortReason = null;
                    previewReadyAt = null;
                }
            }
            if (commands.promote() && (stable == null || desired.equals(stable) || desired.equals(aborted))) {
                consumed.add(Commands.PROMOTE); // nothing to promote: drop the command so it does not linger
            }
        }

        private void firstRelease() {
            int ready = o.ready(desired);
            target(desired, o.replicas(), null);
            preview = desired;
            if (o.rollingDeployment().exists()) {
                if (ready >= o.replicas()) {
                    active = desired;
                    stable = desired;
                    deleteRollingDeployment = true;
                    announce(
                            false,
                            "SwitchedToBlueGreen",
                            "Revision " + desired + " is ready; the active Service left the Rolling Deployment.");
                    set(Phase.Healthy, "Released", readyMessage(desired, o.replicas()));
                } else {
                    active = null;
                    waitForPods(
                            desired,
                            Phase.Progressing,
                            "SwitchingStrategy",
                            "Switching from Rolling: " + readyMessage(desired, o.replicas())
                                    + " The Deployment serves until then.");
                }
                return;
            }
            active = desired;
            if (ready >= o.replicas()) {
                stable = desired;
                set(Phase.Healthy, "Released", readyMessage(desired, o.replicas()));
            } else {
                waitForPods(
                        desired,
                        Phase.Progressing,
                        "FirstRelease",
                        "First release: " + readyMessage(desired, o.replicas()));
            }
        }

        private void steady() {
            target(stable, o.replicas(), null);
            active = stable;
            preview = stable;
            previewReadyAt = null;
            if (o.ready(stable) >= o.replicas() && o.specReplicas(stable) == o.replicas()) {
                set(Phase.Healthy, "Released", readyMessage(stable, o.replicas()));
            } else if (o.ready(stable) < o.replicas()) {
                waitForPods(stable, Phase.Progressing, "Scaling", readyMessage(stable, o.replicas()));
            } else {
                set(Phase.Progressing, "Scaling", readyMessage(stable, o.replicas()));
            }
        }

        private void abortedRelease() {
            target(stable, o.replicas(), null);
            active = stable;
            preview = stable;
            ObservedReplicaSet rs = o.replicaSets().get(desired);
            if (rs != null) {
                scaleDownWhenDue(rs, o.settings().getAbortScaleDownDelaySeconds());
            }
            if (abortReason != null && abortReason.startsWith(ROLLBACK_REASON)) {
                set(
                        Phase.RolledBack,
                        "RolledBack",
                        "Revision " + desired + " was rolled back (" + abortReason + "); the active Service is on "
                                + stable + ". Retry with `kubectl blueshift retry`, or change the template.");
                return;
            }
            set(
                    Phase.Aborted,
                    "Aborted",
                    "Revision " + desired + " was aborted (" + abortReason + "); the active Service stays on " + stable
                            + ". Retry with `kubectl blueshift retry`, or change the template.");
        }

        private void release() {
            target(stable, o.replicas(), null);
            preview = desired;
            ObservedReplicaSet rs = o.replicaSets().get(desired);
            boolean switched = desired.equals(active);
            if (!switched) {
                active = stable;
                // A ReplicaSet still warm at full size (e.g. the previous stable, within its scale-down
                // delay) is a fast rollback: it takes the active Service without preview or pause.
                boolean warm = rs != null && rs.released() && rs.readyReplicas() >= o.replicas();
                boolean promotionStarted =
                        warm || (rs != null && rs.specReplicas() >= o.replicas() && o.previewReplicas() < o.replicas());
                if (!promotionStarted && !readyForPromotion()) {
                    return;
                }
                if (o.commands().promote()) {
                    consumed.add(Commands.PROMOTE);
                }
                target(desired, o.replicas(), null);
                if (o.ready(desired) < o.replicas()) {
                    waitForPods(
                            desired,
                            Phase.Promoting,
                            "ScalingUp",
                            "Promoting revision " + desired + ": " + readyMessage(desired, o.replicas())
                                    + " The active Service moves when all are.");
                    return;
                }
                active = desired;
                announce(
                        false,
                        warm ? "FastRollback" : "Promoted",
                        "The active Service moved from revision " + stable + " to " + desired
                                + (warm ? " (fast rollback to a warm ReplicaSet)." : "."));
            } else {
                target(desired, o.replicas(), null);
                if (o.commands().promote()) {
                    consumed.add(Commands.PROMOTE);
                }
            }
            consulted.add(ReleaseStage.PostPromotion);
            StageVerdict post = o.postPromotion();
            if (post.outcome() == StageVerdict.Outcome.Running) {
                set(
                        Phase.Promoting,
                        "PostPromotionAnalysis",
                        "Revision " + desired + " serves traffic; post-promotion checks: " + post.message()
                                + ". Revision " + stable + " stays scaled up until they pass.");
                return;
            }
            if (post.outcome() == StageVerdict.Outcome.Failed) {
                announce(
                        true,
                        "RolledBack",
                        "Post-promotion checks of revision " + desired + " failed (" + post.message()
                                + "); the active Service went back to revision " + stable + ".");
                // Marked aborted so that it is not released again until retry; announced (and counted) as a rollback
                // only.
                aborted = desired;
                abortReason = ROLLBACK_REASON + post.message();
                rolledBack = true;
                targets.remove(desired);
                abortedRelease();
                return;
            }
            String previous = stable;
            targets.remove(previous);
            stable = desired;
            active = desired;
            set(
                    Phase.Healthy,
                    "Released",
                    "Revision " + desired + " is stable (was " + previous + "). "
                            + readyMessage(desired, o.replicas()));
        }

        /** Preview stage: true once the preview may be promoted now; otherwise sets the phase that says why not. */
        private boolean readyForPromotion() {
            int previewSize = o.previewReplicas();
            target(desired, previewSize, null);
            if (o.ready(desired) < previewSize) {
                previewReadyAt = null;
                waitForPods(
                        desired,
                        Phase.Progressing,
                        "Previewing",
                        "Preview of revision " + desired + ": " + readyMessage(desired, previewSize));
                return false;
            }
            if (previewReadyAt == null) {
                previewReadyAt = o.now();
            }
            consulted.add(ReleaseStage.PrePromotion);
            StageVerdict pre = o.prePromotion();
            if (pre.outcome() == StageVerdict.Outcome.Running) {
                set(
                        Phase.Progressing,
                        "PrePromotionAnalysis",
                        "Preview of revision " + desired + " is ready; pre-promotion checks: " + pre.message());
                return false;
            }
            if (pre.outcome() == StageVerdict.Outcome.Failed) {
                abortWith("pre-promotion checks failed: " + pre.message());
                targets.remove(desired);
                abortedRelease();
                return false;
            }
            if (o.commands().promote()) {
                return true;
            }
            if (!Boolean.TRUE.equals(o.settings().getAutoPromotion().getEnabled())) {
                set(
                        Phase.Paused,
                        "AwaitingPromotion",
                        "Preview of revision " + desired + " is ready (" + previewSize
                                + " Pods). Promote with `kubectl blueshift promote`, or abort with `kubectl blueshift abort`.");
                return false;
            }
            Instant due =
                    previewReadyAt.plusSeconds(o.settings().getAutoPromotion().getAfterSeconds());
            if (o.now().isBefore(due)) {
                wake(due);
                set(
                        Phase.Paused,
                        "AutoPromotionScheduled",
                        "Preview of revision " + desired + " is ready; it is promoted at " + due + " unless aborted.");
                return false;
            }
            return true;
        }

        private void abortWith(String why) {
            aborted = desired;
            abortReason = why;
            announce(true, "Aborted", "Revision " + desired + " aborted: " + why + ".");
        }

        /** Every ReplicaSet no rule above claimed scales down once its delay has passed. */
        private void retireOthers() {
            for (ObservedReplicaSet rs : o.replicaSets().values()) {
                if (targets.containsKey(rs.revision())) {
                    continue;
                }
                if (rs.specReplicas() > 0) {
                    scaleDownWhenDue(rs, o.settings().getScaleDownDelaySeconds());
                } else {
                    target(rs.revision(), 0, null);
                }
            }
        }

        private void scaleDownWhenDue(ObservedReplicaSet rs, int delaySeconds) {
            if (rs.specReplicas() == 0) {
                target(rs.revision(), 0, null);
                return;
            }
            Instant due = rs.scaleDownAt() != null ? rs.scaleDownAt() : o.now().plusSeconds(delaySeconds);
            if (o.now().isBefore(due)) {
                target(rs.revision(), rs.specReplicas(), due);
                wake(due);
            } else {
                target(rs.revision(), 0, null);
                announce(false, "ScaledDown", "Revision " + rs.revision() + " scaled to 0.");
            }
        }

        /** The active Service never moves to a revision without a ready Pod while its current one has some. */
        private void keepActiveOnReadyPods() {
            String current = o.previous().activeRevision();
            if (active == null || Objects.equals(active, current) || o.ready(active) > 0) {
                return;
            }
            if (current != null && o.ready(current) > 0) {
                active = current;
                ReplicaSetTarget kept = targets.get(current);
                if (kept == null || kept.replicas() == 0) {
                    target(current, Math.max(1, o.specReplicas(current)), null);
                }
            }
        }

        private void markStableReleased() {
            ReplicaSetTarget t = stable == null ? null : targets.get(stable);
            if (t != null && !t.released()) {
                targets.put(stable, new ReplicaSetTarget(t.replicas(), t.scaleDownAt(), t.revisionNumber(), true));
            }
        }

        /** Scaled-down revisions beyond revisionHistoryLimit, oldest first; never one in use. */
        private List<String> prune() {
            Set<String> inUse = new TreeSet<>();
            for (String r : new String[] {desired, stable, active, preview}) {
                if (r != null) {
                    inUse.add(r);
                }
            }
            List<String> idle = targets.entrySet().stream()
                    .filter(e -> e.getValue().replicas() == 0 && !inUse.contains(e.getKey()))
                    .sorted(Comparator.comparingLong((Map.Entry<String, ReplicaSetTarget> e) ->
                                    e.getValue().revisionNumber())
                            .reversed())
                    .map(Map.Entry::getKey)
                    .toList();
            List<String> pruned = idle.stream().skip(o.revisionHistoryLimit()).toList();
            pruned.forEach(targets::remove);
            return pruned;
        }

        private void target(String revision, int replicas, Instant scaleDownAt) {
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

        private void set(Phase phase, String reason, String message) {
            this.phase = phase;
            this.reason = reason;
            this.message = message;
        }

        private void announce(boolean warning, String reason, String message) {
            announcements.add(new Announcement(warning, reason, message));
        }

        /**
         * The release waits for Pods of {@code revision} to become ready: the phase given while they
         * come, Degraded once none became ready for progressDeadlineSeconds. The wait goes on either
         * way, and a Pod that becomes ready later starts the clock again.
         */
        private void waitForPods(String revision, Phase waiting, String why, String what) {
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
                        "ProgressDeadlineExceeded",
                        what + " No Pod of revision " + revision + " became ready for " + o.progressDeadlineSeconds()
                                + " s (spec.progressDeadlineSeconds) since " + lastProgress.since()
                                + "; still waiting.");
            }
        }

        private void wake(Instant at) {
            if (wakeAt == null || at.isBefore(wakeAt)) {
                wakeAt = at;
            }
        }

        private String readyMessage(String revision, int of) {
            return o.ready(revision) + " of " + of + " Pods of revision " + revision + " ready.";
        }
    }
}
