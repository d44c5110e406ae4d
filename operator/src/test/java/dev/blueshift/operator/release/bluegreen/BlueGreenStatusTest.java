package dev.blueshift.operator.release.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.kube.RevisionReplicaSetBuilder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservations.ObservedRelease;
import dev.blueshift.operator.support.Msds;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** From a blue/green plan to what status shows. */
class BlueGreenStatusTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final MicroserviceDeployment msd = Msds.blueGreen("shop", "pay", 3, "pay:2");

    private ReplicaSet replicaSet(String rev, int existing, int ready) {
        ReplicaSet rs = RevisionReplicaSetBuilder.build(
                msd, rev, "d", "{}", RevisionReplicaSetBuilder.template(msd, rev), existing, 1, null, false);
        rs.setStatus(new ReplicaSetStatusBuilder()
                .withReplicas(existing)
                .withReadyReplicas(ready)
                .build());
        return rs;
    }

    /** r1 stable with 3 of 3 ready, r2 the preview with 1 of 1 ready. */
    private ObservedRelease release(int collisions) {
        Map<String, ReplicaSet> byRevision = new LinkedHashMap<>();
        byRevision.put("r1", replicaSet("r1", 3, 3));
        byRevision.put("r2", replicaSet("r2", 1, 1));
        return new ObservedRelease(null, byRevision, new PodTemplateHash.Revision("r2", collisions), "d");
    }

    private static BlueGreenPlan plan(String active, String aborted, boolean rolledBack) {
        return new BlueGreenPlan(
                Map.of(),
                List.of(),
                active,
                "r2",
                "r1",
                rolledBack ? Phase.RolledBack : Phase.Paused,
                BlueGreenReason.AwaitingPromotion,
                "message",
                NOW.minusSeconds(5),
                aborted == null ? "r2" : null,
                aborted,
                aborted == null ? null : "post-promotion checks failed: error-rate",
                false,
                null,
                Set.of(),
                List.of(),
                Optional.empty(),
                List.of(),
                rolledBack,
                new PodProgress("r2", 1, NOW.minusSeconds(60)));
    }

    @Test
    void readyCountsOnlyTheActiveRevisionsPodsAndReplicasCountsEveryRevisions() {
        MicroserviceDeploymentStatus view =
                BlueGreenStatus.of(msd, release(0), Optional.empty(), plan("r1", null, false), null, "", NOW);
        assertThat(view.getReadyReplicas()).isEqualTo(3);
        assertThat(view.getReplicas()).isEqualTo(4);
        assertThat(view.getCurrentRevision()).isEqualTo("r2");
        assertThat(view.getActiveSelector())
                .isEqualTo(WorkloadLabels.format(WorkloadLabels.revisionSelector(msd, "r1")));
        assertThat(view.getPreviewSelector())
                .isEqualTo(WorkloadLabels.format(WorkloadLabels.revisionSelector(msd, "r2")));
        assertThat(view.getPreviewReadyAt()).isEqualTo("2026-12-01T09:59:55Z");
        assertThat(view.getPromotingRevision()).isEqualTo("r2");
        assertThat(view.getLastProgress().getSince()).isEqualTo("2026-12-01T09:59:00Z");
        assertThat(view.getCollisionCount()).isNull();
        assertThat(view.getLastRollback()).isNull();
    }

    @Test
    void theScaleSubresourceCountsTheActiveRevisionsPodsReadyOrNotAndNoPreview() {
        Map<String, ReplicaSet> byRevision = new LinkedHashMap<>();
        byRevision.put("r1", replicaSet("r1", 5, 3));
        byRevision.put("r2", replicaSet("r2", 1, 1));
        ObservedRelease scalingUp = new ObservedRelease(null, byRevision, new PodTemplateHash.Revision("r2", 0), "d");
        MicroserviceDeploymentStatus view =
                BlueGreenStatus.of(msd, scalingUp, Optional.empty(), plan("r1", null, false), null, "", NOW);
        assertThat(view.getActiveReplicas()).isEqualTo(5);
        assertThat(view.getReadyReplicas()).isEqualTo(3);
        assertThat(view.getReplicas()).isEqualTo(6);
    }

    @Test
    void duringASwitchFromRollingEveryReadyPodServesTheDeploymentsIncluded() {
        Deployment deployment = Msds.deploymentWithReadyPods("pay", 2);
        MicroserviceDeploymentStatus view =
                BlueGreenStatus.of(msd, release(0), Optional.of(deployment), plan(null, null, false), null, "", NOW);
        assertThat(view.getReadyReplicas()).isEqualTo(3 + 1 + 2);
        assertThat(view.getActiveReplicas()).isEqualTo(3 + 1 + 4);
        assertThat(view.getActiveSelector()).isEqualTo(WorkloadLabels.format(WorkloadLabels.podSelector(msd)));
    }

    @Test
    void aRollbackSaysWhenFromWhichToWhichRevisionAndWhy() {
        MicroserviceDeploymentStatus view = BlueGreenStatus.of(
                msd, release(0), Optional.empty(), plan("r1", "r2", true), null, "error-rate 0.3 > 0.05", NOW);
        assertThat(view.getLastRollback().getAt()).isEqualTo(NOW.toString());
        assertThat(view.getLastRollback().getFrom()).isEqualTo("r2");
        assertThat(view.getLastRollback().getTo()).isEqualTo("r1");
        assertThat(view.getLastRollback().getReason()).isEqualTo("error-rate 0.3 > 0.05");
        assertThat(view.getAbortedRevision()).isEqualTo("r2");
    }

    @Test
    void aCollisionCountShowsOnlyOnceThereWasOne() {
        assertThat(BlueGreenStatus.of(msd, release(2), Optional.empty(), plan("r1", null, false), null, "", NOW)
                        .getCollisionCount())
                .isEqualTo(2);
    }
}
