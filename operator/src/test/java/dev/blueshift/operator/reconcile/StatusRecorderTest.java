package dev.blueshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.Msds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Status writes through the one write port: once per distinct content, a phase Event before each move. */
class StatusRecorderTest {
    private final List<String> log = new ArrayList<>();
    private final MicroserviceDeployment msd = Msds.blueGreen("shop", "pay", 2, "pay:1");
    /** What the API server answers to a status write: the MSD as read, unless a test changes it. */
    private MicroserviceDeployment response = msd;

    private final ClusterWriter writer = new ClusterWriter() {
        @Override
        public <R extends HasMetadata> R apply(R desired, Optional<R> observed) {
            log.add("apply");
            return desired;
        }

        @Override
        public void delete(HasMetadata observed) {
            log.add("delete");
        }

        @Override
        public void annotate(HasMetadata observed, String key, String value) {
            log.add("annotate");
        }

        @Override
        public void event(boolean warning, String reason, String message) {
            log.add((warning ? "Warning " : "Normal ") + reason);
        }

        @Override
        public MicroserviceDeployment writeStatus(MicroserviceDeploymentStatus status) {
            log.add("status " + status.getPhase());
            return response;
        }

        @Override
        public boolean removeCommands(Set<String> commands) {
            log.add("commands " + commands);
            return true;
        }

        @Override
        public void nudge(io.fabric8.kubernetes.api.model.apps.ReplicaSet replicaSet) {
            log.add("nudge " + replicaSet.getMetadata().getName());
        }
    };

    private static MicroserviceDeploymentStatus status(Phase phase, String message) {
        MicroserviceDeploymentStatus status = new MicroserviceDeploymentStatus();
        status.setPhase(phase);
        status.setMessage(message);
        return status;
    }

    @Test
    void aPhaseMoveIsAnnouncedThenWrittenAndTheSameStatusIsNotWrittenTwice() {
        msd.setStatus(status(Phase.Paused, "waiting"));
        StatusRecorder recorder = new StatusRecorder(msd, writer);
        recorder.write(status(Phase.Aborted, "aborted"));
        recorder.write(status(Phase.Aborted, "aborted"));
        assertThat(log).containsExactly("Warning PhaseAborted", "status Aborted");
    }

    @Test
    void aStatusAsReadIsNotWrittenAndAChangeWithinAPhaseHasNoEvent() {
        msd.setStatus(status(Phase.Progressing, "1 of 2"));
        StatusRecorder recorder = new StatusRecorder(msd, writer);
        recorder.write(status(Phase.Progressing, "1 of 2"));
        recorder.write(status(Phase.Progressing, "2 of 2"));
        assertThat(log).containsExactly("status Progressing");
    }

    @Test
    void anEditSeenInTheWritesResponseIsReported() {
        StatusRecorder recorder = new StatusRecorder(msd, writer);
        response = Msds.blueGreen("shop", "pay", 2, "pay:1");
        response.getMetadata().setAnnotations(Map.of("blueshift.dev/abort", "now"));
        recorder.write(status(Phase.Healthy, "ok"));
        assertThat(log).containsExactly("Normal PhaseHealthy", "status Healthy");
        assertThat(recorder.sawUnseenEdit()).isTrue();
    }
}
