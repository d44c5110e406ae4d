package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.EventReason;

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
 *
 * <p>This class holds the flow and the states around a release (first release, steady, aborted);
 * {@link Promotion} the release of a new revision; {@link ReplicaSetRetirement} scale-down and
 * pruning; {@link ActiveServiceGuard} the active Service's last word.
 */
public final class BlueGreenRelease {
    /** How the abort reason of a rollback begins; the phase of such an abort is RolledBack. */
    static final String ROLLBACK_REASON = "post-promotion checks failed: ";

    private BlueGreenRelease() {}

    public static BlueGreenPlan decide(BlueGreenObservation observation) {
        Decision d = new Decision(observation);
        applyCommands(d);
        if (d.stable == null) {
            firstRelease(d);
        } else if (d.desired.equals(d.stable)) {
            steady(d);
        } else if (d.desired.equals(d.aborted)) {
            abortedRelease(d);
        } else {
            Promotion.release(d);
        }
        ReplicaSetRetirement.retireOthers(d);
        ActiveServiceGuard.keepOnReadyPods(d);
        ReplicaSetRetirement.retireRollingDeployment(d);
        ReplicaSetRetirement.markStableReleased(d);
        ReplicaSetRetirement.prune(d);
        return d.plan();
    }

    /**
     * Abort before retry: a retry only means something after an abort, so when both are there
     * (the abort recorded but its annotation not yet removed, or both given before the operator
     * looked) the retry came last and wins.
     */
    private static void applyCommands(Decision d) {
        Commands commands = d.o.commands();
        if (commands.abort()) {
            d.consumed.add(Commands.ABORT);
            if (d.stable != null && !d.desired.equals(d.stable) && d.aborted == null) {
                d.abortWith("aborted by the user");
            }
        }
        if (commands.retry()) {
            d.consumed.add(Commands.RETRY);
            if (d.aborted != null) {
                d.announce(
                        false,
                        EventReason.Retried,
                        "Retrying revision " + d.aborted + " (was aborted: " + d.abortReason + ").");
                d.aborted = null;
                d.abortReason = null;
                d.previewReadyAt = null;
                d.promoting = false; // from its preview again, with its checks
            }
        }
        if (commands.promote() && (d.stable == null || d.desired.equals(d.stable) || d.desired.equals(d.aborted))) {
            d.consumed.add(Commands.PROMOTE); // nothing to promote: drop the command so it does not linger
        }
    }

    private static void firstRelease(Decision d) {
        BlueGreenObservation o = d.o;
        String desired = d.desired;
        int ready = o.ready(desired);
        d.target(desired, o.replicas(), null);
        d.preview = desired;
        if (o.rollingDeployment().exists()) {
            if (ready >= o.replicas()) {
                d.active = desired;
                d.stable = desired;
                d.announce(
                        false,
                        EventReason.SwitchedToBlueGreen,
                        "Revision " + desired + " is ready; the active Service left the Rolling Deployment.");
                d.set(Phase.Healthy, BlueGreenReason.Released, d.readyMessage(desired, o.replicas()));
            } else {
                d.active = null;
                d.waitForPods(
                        desired,
                        Phase.Progressing,
                        BlueGreenReason.SwitchingStrategy,
                        "Switching from Rolling: " + d.readyMessage(desired, o.replicas())
                                + " The Deployment serves until then.");
            }
            return;
        }
        d.active = desired;
        if (ready >= o.replicas()) {
            d.stable = desired;
            d.set(Phase.Healthy, BlueGreenReason.Released, d.readyMessage(desired, o.replicas()));
        } else {
            d.waitForPods(
                    desired,
                    Phase.Progressing,
                    BlueGreenReason.FirstRelease,
                    "First release: " + d.readyMessage(desired, o.replicas()));
        }
    }

    private static void steady(Decision d) {
        BlueGreenObservation o = d.o;
        String stable = d.stable;
        d.target(stable, o.replicas(), null);
        d.active = stable;
        d.preview = stable;
        d.previewReadyAt = null;
        if (o.ready(stable) >= o.replicas() && o.specReplicas(stable) == o.replicas()) {
            d.set(Phase.Healthy, BlueGreenReason.Released, d.readyMessage(stable, o.replicas()));
        } else if (o.ready(stable) < o.replicas()) {
            d.waitForPods(stable, Phase.Progressing, BlueGreenReason.Scaling, d.readyMessage(stable, o.replicas()));
        } else {
            d.set(Phase.Progressing, BlueGreenReason.Scaling, d.readyMessage(stable, o.replicas()));
        }
    }

    /** The release of the desired revision was aborted or rolled back: the stable revision serves. */
    static void abortedRelease(Decision d) {
        BlueGreenObservation o = d.o;
        String desired = d.desired;
        d.target(d.stable, o.replicas(), null);
        d.active = d.stable;
        d.preview = d.stable;
        ObservedReplicaSet rs = o.replicaSets().get(desired);
        if (rs != null) {
            ReplicaSetRetirement.scaleDownWhenDue(d, rs, o.settings().getAbortScaleDownDelaySeconds());
        }
        if (d.abortReason != null && d.abortReason.startsWith(ROLLBACK_REASON)) {
            d.set(
                    Phase.RolledBack,
                    BlueGreenReason.RolledBack,
                    "Revision " + desired + " was rolled back (" + d.abortReason + "); the active Service is on "
                            + d.stable + ". Retry with `kubectl blueshift retry`, or change the template.");
            return;
        }
        d.set(
                Phase.Aborted,
                BlueGreenReason.Aborted,
                "Revision " + desired + " was aborted (" + d.abortReason + "); the active Service stays on " + d.stable
                        + ". Retry with `kubectl blueshift retry`, or change the template.");
    }
}
