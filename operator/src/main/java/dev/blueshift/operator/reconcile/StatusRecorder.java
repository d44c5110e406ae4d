package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Writes an MSD's status, at most once per distinct content in a reconcile (a decision recorded
 * before it is applied is not written again), and records an Event when the phase moves.
 */
final class StatusRecorder {
    /** Phases whose Event is a Warning: the release did not go as the user asked. */
    private static final Set<Phase> WARNING_PHASES =
            EnumSet.of(Phase.Degraded, Phase.Aborted, Phase.RolledBack, Phase.Failed);

    private final MicroserviceDeployment msd;
    private final ClusterWriter writer;
    private MicroserviceDeploymentStatus written;
    private boolean unseenEdit;

    StatusRecorder(MicroserviceDeployment msd, ClusterWriter writer) {
        this.msd = msd;
        this.writer = writer;
        this.written = msd.getStatus();
    }

    void write(MicroserviceDeploymentStatus next) {
        MicroserviceDeploymentStatus previous = written;
        if (next.equals(previous)) {
            return;
        }
        Phase before = previous == null ? null : previous.getPhase();
        if (!Objects.equals(before, next.getPhase())) {
            String message = "Phase " + (before == null ? "(none)" : before) + " -> " + next.getPhase() + ": "
                    + next.getMessage();
            writer.event(WARNING_PHASES.contains(next.getPhase()), "Phase" + next.getPhase(), message);
        }
        MicroserviceDeployment response = writer.writeStatus(next);
        written = next;
        unseenEdit |= UnseenEdits.between(msd, response);
    }

    /** A status write came back with metadata or spec this reconcile did not read. */
    boolean sawUnseenEdit() {
        return unseenEdit;
    }
}
