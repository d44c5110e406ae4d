package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.EventReason;
import java.time.Instant;

/**
 * A new revision's way to stable: preview, pre-promotion checks, the wait for a promote (or
 * auto-promotion), scale-up, the switch of the active Service, post-promotion checks.
 */
final class Promotion {
    private Promotion() {}

    static void release(Decision d) {
        BlueGreenObservation o = d.o;
        String desired = d.desired;
        d.target(d.stable, o.replicas(), null);
        d.preview = desired;
        ObservedReplicaSet rs = o.replicaSets().get(desired);
        boolean switched = desired.equals(d.active);
        if (!switched) {
            d.active = d.stable;
            // A ReplicaSet still warm at full size (e.g. the previous stable, within its scale-down
            // delay) is a fast rollback: it takes the active Service without preview or pause.
            boolean warm = rs != null && rs.released() && o.readyToServe(desired) >= o.replicas();
            // Only a recorded decision starts a promotion: a preview ReplicaSet scaled up by hand (or
            // by an autoscaler) still goes through its checks and the wait for a promote.
            if (!warm && !d.promoting && !readyForPromotion(d)) {
                return;
            }
            d.promoting = true;
            if (o.commands().promote()) {
                d.consumed.add(Commands.PROMOTE);
            }
            d.target(desired, o.replicas(), null);
            if (o.readyToServe(desired) < o.replicas()) {
                d.waitForPods(
                        desired,
                        Phase.Promoting,
                        BlueGreenReason.ScalingUp,
                        "Promoting revision " + desired + ": " + d.readyMessage(desired, o.replicas())
                                + " The active Service moves when all are.");
                return;
            }
            d.active = desired;
            d.announce(
                    false,
                    warm ? EventReason.FastRollback : EventReason.Promoted,
                    "The active Service moved from revision " + d.stable + " to " + desired
                            + (warm ? " (fast rollback to a warm ReplicaSet)." : "."));
        } else {
            d.promoting = true;
            d.target(desired, o.replicas(), null);
            if (o.commands().promote()) {
                d.consumed.add(Commands.PROMOTE);
            }
        }
        postPromotion(d);
    }

    /** The new revision serves: its post-promotion checks make it stable, or roll it back. */
    private static void postPromotion(Decision d) {
        String desired = d.desired;
        d.consulted.add(ReleaseStage.PostPromotion);
        StageVerdict post = d.o.postPromotion();
        if (post.outcome() == StageVerdict.Outcome.Running) {
            d.set(
                    Phase.Promoting,
                    BlueGreenReason.PostPromotionAnalysis,
                    "Revision " + desired + " serves traffic; post-promotion checks: " + post.message() + ". Revision "
                            + d.stable + " stays scaled up until they pass.");
            return;
        }
        if (post.outcome() == StageVerdict.Outcome.Failed) {
            d.announce(
                    true,
                    EventReason.RolledBack,
                    "Post-promotion checks of revision " + desired + " failed (" + post.message()
                            + "); the active Service went back to revision " + d.stable + ".");
            // Marked aborted so that it is not released again until retry; announced (and counted) as a rollback
            // only.
            d.aborted = desired;
            d.abortReason = BlueGreenRelease.ROLLBACK_REASON + post.message();
            d.rolledBack = true;
            d.targets.remove(desired);
            BlueGreenRelease.abortedRelease(d);
            return;
        }
        String previous = d.stable;
        d.targets.remove(previous);
        d.stable = desired;
        d.active = desired;
        d.set(
                Phase.Healthy,
                BlueGreenReason.Released,
                "Revision " + desired + " is stable (was " + previous + "). "
                        + d.readyMessage(desired, d.o.replicas()));
    }

    /** Preview stage: true once the preview may be promoted now; otherwise sets the phase that says why not. */
    private static boolean readyForPromotion(Decision d) {
        BlueGreenObservation o = d.o;
        String desired = d.desired;
        int previewSize = o.previewReplicas();
        d.target(desired, previewSize, null);
        if (o.ready(desired) < previewSize) {
            d.previewReadyAt = null;
            d.waitForPods(
                    desired,
                    Phase.Progressing,
                    BlueGreenReason.Previewing,
                    "Preview of revision " + desired + ": " + d.readyMessage(desired, previewSize));
            return false;
        }
        if (d.previewReadyAt == null) {
            d.previewReadyAt = o.now();
        }
        d.consulted.add(ReleaseStage.PrePromotion);
        StageVerdict pre = o.prePromotion();
        if (pre.outcome() == StageVerdict.Outcome.Running) {
            d.set(
                    Phase.Progressing,
                    BlueGreenReason.PrePromotionAnalysis,
                    "Preview of revision " + desired + " is ready; pre-promotion checks: " + pre.message());
            return false;
        }
        if (pre.outcome() == StageVerdict.Outcome.Failed) {
            d.abortWith("pre-promotion checks failed: " + pre.message());
            d.targets.remove(desired);
            BlueGreenRelease.abortedRelease(d);
            return false;
        }
        if (o.commands().promote()) {
            return true;
        }
        if (!Boolean.TRUE.equals(o.settings().getAutoPromotion().getEnabled())) {
            d.set(
                    Phase.Paused,
                    BlueGreenReason.AwaitingPromotion,
                    "Preview of revision " + desired + " is ready (" + previewSize
                            + " Pods). Promote with `kubectl blueshift promote`, or abort with `kubectl blueshift abort`.");
            return false;
        }
        Instant due =
                d.previewReadyAt.plusSeconds(o.settings().getAutoPromotion().getAfterSeconds());
        if (o.now().isBefore(due)) {
            d.wake(due);
            d.set(
                    Phase.Paused,
                    BlueGreenReason.AutoPromotionScheduled,
                    "Preview of revision " + desired + " is ready; it is promoted at " + due + " unless aborted.");
            return false;
        }
        return true;
    }
}
