package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.ReplicaSetTarget;
import java.util.Objects;

/** The active Service never moves to a revision without a ready Pod while its current one has some. */
final class ActiveServiceGuard {
    private ActiveServiceGuard() {}

    static void keepOnReadyPods(Decision d) {
        String current = d.o.previous().activeRevision();
        if (d.active == null || Objects.equals(d.active, current) || d.o.ready(d.active) > 0) {
            return;
        }
        if (current != null && d.o.ready(current) > 0) {
            d.active = current;
            ReplicaSetTarget kept = d.targets.get(current);
            if (kept == null || kept.replicas() == 0) {
                d.target(current, Math.max(1, d.o.specReplicas(current)), null);
            }
        }
    }
}
