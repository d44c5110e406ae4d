package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.release.EventReason;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.RollingDeployment;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.ReplicaSetTarget;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * ReplicaSets on their way out: scale-down after a delay, the released mark of the stable one,
 * and the pruning of history beyond revisionHistoryLimit.
 */
final class ReplicaSetRetirement {
    private ReplicaSetRetirement() {}

    /** Every ReplicaSet no rule claimed scales down once its delay has passed. */
    static void retireOthers(Decision d) {
        for (ObservedReplicaSet rs : d.o.replicaSets().values()) {
            if (d.targets.containsKey(rs.revision())) {
                continue;
            }
            if (rs.specReplicas() > 0) {
                scaleDownWhenDue(d, rs, d.o.settings().getScaleDownDelaySeconds());
            } else {
                d.target(rs.revision(), 0, null);
            }
        }
    }

    static void scaleDownWhenDue(Decision d, ObservedReplicaSet rs, int delaySeconds) {
        if (rs.specReplicas() == 0) {
            d.target(rs.revision(), 0, null);
            return;
        }
        Instant now = d.o.now();
        Instant due = rs.scaleDownAt() != null ? rs.scaleDownAt() : now.plusSeconds(delaySeconds);
        if (now.isBefore(due)) {
            d.target(rs.revision(), rs.specReplicas(), due);
            d.wake(due);
        } else {
            d.target(rs.revision(), 0, null);
            d.announce(false, EventReason.ScaledDown, "Revision " + rs.revision() + " scaled to 0.");
        }
    }

    /**
     * The Rolling Deployment, once the active Service left it (it selects a revision), goes after
     * scaleDownDelaySeconds as a replaced revision does: until kube-proxy everywhere has the switch,
     * its Pods may still be sent requests.
     */
    static void retireRollingDeployment(Decision d) {
        RollingDeployment deployment = d.o.rollingDeployment();
        if (!deployment.exists() || d.active == null) {
            return;
        }
        Instant now = d.o.now();
        Instant due = deployment.deleteAt() != null
                ? deployment.deleteAt()
                : now.plusSeconds(d.o.settings().getScaleDownDelaySeconds());
        if (now.isBefore(due)) {
            d.rollingDeploymentDeleteAt = due;
            d.wake(due);
        } else {
            d.deleteRollingDeployment = true;
        }
    }

    static void markStableReleased(Decision d) {
        ReplicaSetTarget t = d.stable == null ? null : d.targets.get(d.stable);
        if (t != null && !t.released()) {
            d.targets.put(d.stable, new ReplicaSetTarget(t.replicas(), t.scaleDownAt(), t.revisionNumber(), true));
        }
    }

    /** Scaled-down revisions beyond revisionHistoryLimit, oldest first; never one in use. */
    static void prune(Decision d) {
        Set<String> inUse = new TreeSet<>();
        for (String r : new String[] {d.desired, d.stable, d.active, d.preview}) {
            if (r != null) {
                inUse.add(r);
            }
        }
        List<String> idle = d.targets.entrySet().stream()
                .filter(e -> e.getValue().replicas() == 0 && !inUse.contains(e.getKey()))
                .sorted(Comparator.comparingLong((Map.Entry<String, ReplicaSetTarget> e) ->
                                e.getValue().revisionNumber())
                        .reversed())
                .map(Map.Entry::getKey)
                .toList();
        d.pruned = idle.stream().skip(d.o.revisionHistoryLimit()).toList();
        d.pruned.forEach(d.targets::remove);
    }
}
