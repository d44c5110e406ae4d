package dev.blueshift.operator.release.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.api.v1alpha1.status.ProgressStatus;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.kube.RevisionReplicaSetBuilder;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.ObservedState;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservations.ObservedRelease;
import dev.blueshift.operator.support.Msds;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** From the MSD's ReplicaSets, Services and status to what the blue/green decision reads. */
class BlueGreenObservationsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final MicroserviceDeployment msd = Msds.blueGreen("shop", "pay", 3, "pay:2");

    private String digest() {
        return PodTemplateHash.digest(msd, ConfigReferences.digest(msd.getSpec().getTemplate(), Map.of(), Map.of()));
    }

    private ReplicaSet replicaSet(String rev, String digest, int spec, Integer ready, Instant scaleDownAt) {
        ReplicaSet rs = RevisionReplicaSetBuilder.build(
                msd, rev, digest, "{}", RevisionReplicaSetBuilder.template(msd, rev), spec, 4, scaleDownAt, true);
        if (ready != null) {
            rs.setStatus(new ReplicaSetStatusBuilder()
                    .withReplicas(spec)
                    .withReadyReplicas(ready)
                    .build());
        }
        return rs;
    }

    private ObservedState observed(
            List<ReplicaSet> replicaSets, String activeRevision, Optional<Deployment> deployment) {
        return new ObservedState(
                msd,
                deployment,
                replicaSets,
                Optional.ofNullable(activeRevision)
                        .map(r -> TrafficServiceBuilder.active(msd, WorkloadLabels.revisionSelector(msd, r))),
                Optional.empty(),
                Map.of(),
                Map.of());
    }

    @Test
    void eachReplicaSetBecomesItsRevisionWithSizeReadinessNumberScaleDownTimeAndReleasedMark() {
        Instant due = NOW.plusSeconds(30);
        ObservedRelease release = BlueGreenObservations.of(
                observed(
                        List.of(replicaSet("old", "d-old", 2, 1, due), replicaSet("none", "d-none", 1, null, null)),
                        null,
                        Optional.empty()),
                NOW);
        assertThat(release.observation().replicaSets().get("old"))
                .isEqualTo(new ObservedReplicaSet("old", 2, 1, true, 4, due, true));
        // A ReplicaSet the controller has not reported on yet has no ready Pods.
        assertThat(release.observation().replicaSets().get("none").readyReplicas())
                .isZero();
        assertThat(release.replicaSets()).containsOnlyKeys("old", "none");
    }

    @Test
    void aReadyCountIsTrustedToMoveTrafficOnlyOnceTheReplicaSetControllerActedOnTheCurrentSpec() {
        ReplicaSet scaledDown = replicaSet("old", "d-old", 0, 2, null);
        scaledDown.getMetadata().setGeneration(5L);
        scaledDown.getStatus().setObservedGeneration(4L);
        ReplicaSet caughtUp = replicaSet("new", "d-new", 2, 2, null);
        caughtUp.getMetadata().setGeneration(3L);
        caughtUp.getStatus().setObservedGeneration(3L);
        BlueGreenObservation observation = BlueGreenObservations.of(
                        observed(List.of(scaledDown, caughtUp), null, Optional.empty()), NOW)
                .observation();
        // A status written before the scale-down to 0 still counts 2 ready Pods: never more than the spec asks for.
        assertThat(observation.replicaSets().get("old").readyReplicas()).isZero();
        assertThat(observation.replicaSets().get("old").statusCurrent()).isFalse();
        assertThat(observation.readyToServe("old")).isZero();
        assertThat(observation.replicaSets().get("new").statusCurrent()).isTrue();
        assertThat(observation.readyToServe("new")).isEqualTo(2);
    }

    @Test
    void aStatusFromBeforePromotingRevisionExistedSaysAPromotionRunsByItsPhase() {
        MicroserviceDeploymentStatus status = new MicroserviceDeploymentStatus();
        status.setCurrentRevision("current");
        status.setPhase(Phase.Promoting);
        msd.setStatus(status);
        assertThat(BlueGreenObservations.of(observed(List.of(), null, Optional.empty()), NOW)
                        .observation()
                        .previous()
                        .promotingRevision())
                .isEqualTo("current");
        status.setPhase(Phase.Paused);
        assertThat(BlueGreenObservations.of(observed(List.of(), null, Optional.empty()), NOW)
                        .observation()
                        .previous()
                        .promotingRevision())
                .isNull();
    }

    @Test
    void theDesiredRevisionIsTheCurrentTemplatesAndItsReplicaSetIsFoundByIt() {
        String rev = PodTemplateHash.revision(digest(), 0);
        ObservedRelease release = BlueGreenObservations.of(
                observed(List.of(replicaSet(rev, digest(), 3, 3, null)), rev, Optional.empty()), NOW);
        assertThat(release.observation().desiredRevision()).isEqualTo(rev);
        assertThat(release.revision().collisionCount()).isZero();
        assertThat(release.digest()).isEqualTo(digest());
    }

    @Test
    void aReplicaSetOfTheSameNameWithAnotherTemplateIsACollisionAndGetsAnotherName() {
        String taken = PodTemplateHash.revision(digest(), 0);
        ObservedRelease release = BlueGreenObservations.of(
                observed(List.of(replicaSet(taken, "another-digest", 3, 3, null)), taken, Optional.empty()), NOW);
        assertThat(release.revision().collisionCount()).isEqualTo(1);
        assertThat(release.observation().desiredRevision()).isNotEqualTo(taken);
    }

    @Test
    void theActiveRevisionIsWhatTheActiveServiceSelectsNotWhatStatusRemembers() {
        MicroserviceDeploymentStatus status = new MicroserviceDeploymentStatus();
        status.setActiveRevision("remembered");
        status.setStableRevision("stable");
        status.setCurrentRevision("current");
        status.setAbortedRevision("current");
        status.setAbortReason("aborted by the user");
        status.setPreviewReadyAt("2026-12-01T09:59:00Z");
        status.setPromotingRevision("current");
        status.setLastProgress(new ProgressStatus("current", 1, "2026-12-01T09:58:00Z"));
        msd.setStatus(status);
        BlueGreenObservation.PreviousStatus previous = BlueGreenObservations.of(
                        observed(List.of(), "selected", Optional.empty()), NOW)
                .observation()
                .previous();
        assertThat(previous.activeRevision()).isEqualTo("selected");
        assertThat(previous)
                .isEqualTo(new BlueGreenObservation.PreviousStatus(
                        "current",
                        "stable",
                        "selected",
                        Instant.parse("2026-12-01T09:59:00Z"),
                        "current",
                        "current",
                        "aborted by the user",
                        new PodProgress("current", 1, Instant.parse("2026-12-01T09:58:00Z"))));
    }

    @Test
    void noActiveServiceMeansNoActiveRevision() {
        assertThat(BlueGreenObservations.of(observed(List.of(), null, Optional.empty()), NOW)
                        .observation()
                        .previous()
                        .activeRevision())
                .isNull();
    }

    @Test
    void aRollingDeploymentLeftFromASwitchIsSeenWithItsReadyPods() {
        Deployment deployment = Msds.deploymentWithReadyPods("pay", 2);
        BlueGreenObservation observation = BlueGreenObservations.of(
                        observed(List.of(), null, Optional.of(deployment)), NOW)
                .observation();
        assertThat(observation.rollingDeployment())
                .isEqualTo(new BlueGreenObservation.RollingDeployment(true, 2, null));
        assertThat(BlueGreenObservations.of(observed(List.of(), null, Optional.empty()), NOW)
                        .observation()
                        .rollingDeployment())
                .isEqualTo(BlueGreenObservation.RollingDeployment.NONE);
    }

    @Test
    void commandAnnotationsAndSpecSettingsAreRead() {
        msd.getMetadata().setAnnotations(Map.of(Commands.ABORT, "now", Commands.PROMOTE, "now"));
        msd.getSpec().setProgressDeadlineSeconds(42);
        BlueGreenObservation observation = BlueGreenObservations.of(observed(List.of(), null, Optional.empty()), NOW)
                .observation();
        assertThat(observation.commands()).isEqualTo(new Commands(true, true, false));
        assertThat(observation.replicas()).isEqualTo(3);
        assertThat(observation.progressDeadlineSeconds()).isEqualTo(42);
        assertThat(observation.now()).isEqualTo(NOW);
    }
}
