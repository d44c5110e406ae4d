package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.api.v1alpha1.status.RollbackStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.Watcher.Action;
import org.junit.jupiter.api.Test;

/** The kill -9 suite's checker, fed recorded changes by hand: it must see what it is there to see. */
class ReleaseInvariantsTest {
    private final ReleaseInvariants checker = new ReleaseInvariants();
    private long rv = 100;

    private ReplicaSet rs(String revision, int ready) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("m-" + revision)
                .withResourceVersion(Long.toString(rv++))
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("blueshift.dev/msd", "m")
                .addToLabels("blueshift.dev/revision", revision)
                .endMetadata()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReadyReplicas(ready)
                .endStatus()
                .build();
    }

    private Service active(String revision) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName("m")
                .withResourceVersion(Long.toString(rv++))
                .endMetadata()
                .withNewSpec()
                .addToSelector("blueshift.dev/msd", "m")
                .addToSelector("blueshift.dev/revision", revision)
                .endSpec()
                .build();
    }

    private MicroserviceDeployment msd(Phase phase, String aborted, String rolledBackFrom, boolean deleting) {
        MicroserviceDeployment msd = new MicroserviceDeployment();
        msd.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName("m")
                .withResourceVersion(Long.toString(rv++))
                .withDeletionTimestamp(deleting ? "2026-12-01T00:00:00Z" : null)
                .build());
        MicroserviceDeploymentStatus status = new MicroserviceDeploymentStatus();
        status.setPhase(phase);
        status.setAbortedRevision(aborted);
        if (rolledBackFrom != null) {
            status.setLastRollback(new RollbackStatus("2026-12-01T00:00:00Z", rolledBackFrom, "a", "bad"));
        }
        msd.setStatus(status);
        return msd;
    }

    @Test
    void anActiveServiceLeftWithoutAReadyPodIsAViolation() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, active("a"));
        checker.record(Action.MODIFIED, rs("a", 0));
        assertThat(checker.violations()).singleElement().asString().contains("no ready Pod");
    }

    @Test
    void aServiceThatMovesToAReadyRevisionBreaksNothing() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, active("a"));
        checker.record(Action.ADDED, rs("b", 2));
        checker.record(Action.MODIFIED, active("b"));
        checker.record(Action.MODIFIED, rs("a", 0));
        assertThat(checker.violations()).isEmpty();
    }

    @Test
    void aServiceMovedToAnAbortedRevisionAfterTheAbortWasRecordedIsAViolation() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, active("a"));
        checker.record(Action.ADDED, rs("b", 2));
        checker.record(Action.MODIFIED, msd(Phase.Aborted, "b", null, false));
        checker.record(Action.MODIFIED, active("b"));
        assertThat(checker.violations()).singleElement().asString().contains("moved to revision b");
    }

    @Test
    void aRollbackRecordedWhileTheServiceStillSelectsTheBadRevisionIsRecordFirstNotAViolation() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, rs("b", 2));
        checker.record(Action.ADDED, active("b"));
        checker.record(Action.MODIFIED, msd(Phase.RolledBack, null, "b", false));
        checker.record(Action.MODIFIED, active("a"));
        assertThat(checker.violations()).isEmpty();
        checker.record(Action.MODIFIED, active("b"));
        assertThat(checker.violations()).singleElement().asString().contains("moved to revision b");
    }

    @Test
    void anMsdBeingDeletedMayLoseItsPodsBeforeItsService() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, active("a"));
        checker.record(Action.MODIFIED, msd(Phase.Healthy, null, null, true));
        checker.record(Action.DELETED, msd(Phase.Healthy, null, null, true));
        // The garbage collector, after the MSD is gone, removes the ReplicaSet before the Service.
        checker.record(Action.DELETED, rs("a", 2));
        checker.record(Action.DELETED, active("a"));
        assertThat(checker.violations()).isEmpty();
    }

    @Test
    void anMsdWithoutAFinalizerGoneAtOnceMayLoseItsPodsBeforeItsService() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, active("a"));
        // No AWS resources, so no finalizer: no Terminating state, only the DELETED event.
        checker.record(Action.DELETED, msd(Phase.Healthy, null, null, false));
        // The garbage collector: the ReplicaSet's status changes, then it goes before the Service.
        checker.record(Action.MODIFIED, rs("a", 1));
        checker.record(Action.DELETED, rs("a", 1));
        checker.record(Action.DELETED, active("a"));
        assertThat(checker.violations()).isEmpty();
    }

    @Test
    void anMsdTheSuiteDeletesIsExemptEvenWhenTheWatchMissedItsDeletion() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, active("a"));
        checker.deletionAsked("m", rv);
        rv++;
        // A watch re-established across an API server restart: no MSD event at all, then the garbage collector.
        checker.record(Action.DELETED, rs("a", 2));
        checker.record(Action.DELETED, active("a"));
        assertThat(checker.violations()).isEmpty();
    }

    @Test
    void anMsdCreatedAgainUnderTheSameNameIsCheckedAgain() {
        checker.record(Action.ADDED, rs("a", 2));
        checker.record(Action.ADDED, active("a"));
        checker.record(Action.MODIFIED, msd(Phase.Healthy, null, null, true));
        checker.record(Action.DELETED, msd(Phase.Healthy, null, null, true));
        checker.record(Action.DELETED, rs("a", 2));
        checker.record(Action.DELETED, active("a"));
        checker.record(Action.ADDED, msd(null, null, null, false));
        checker.record(Action.ADDED, rs("b", 2));
        checker.record(Action.ADDED, active("b"));
        checker.record(Action.MODIFIED, rs("b", 0));
        assertThat(checker.violations()).singleElement().asString().contains("no ready Pod");
    }
}
