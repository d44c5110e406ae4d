package dev.blueshift.operator.release.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.support.Msds;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RollingReleaseTest {
    private final MicroserviceDeployment msd = Msds.rolling("ns", "shop", 3, "shop:1");

    @Test
    void desiredDeploymentCarriesTheSpecAndTheOperatorsLabels() {
        Deployment deployment = RollingRelease.desired(msd, "");
        assertThat(deployment.getMetadata().getName()).isEqualTo("shop");
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .containsExactlyEntriesOf(java.util.Map.of("blueshift.dev/msd", "shop"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("team", "payments")
                .containsEntry("blueshift.dev/msd", "shop")
                .containsEntry("app.kubernetes.io/managed-by", "blueshift");
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("shop:1");
        assertThat(deployment.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(ref -> {
                    assertThat(ref.getKind()).isEqualTo("MicroserviceDeployment");
                    assertThat(ref.getUid()).isEqualTo("uid-shop");
                    assertThat(ref.getController()).isTrue();
                });
    }

    @Test
    void desiredDeploymentDoesNotChangeTheUsersTemplate() {
        RollingRelease.desired(msd, "");
        assertThat(msd.getSpec().getTemplate().getMetadata().getLabels()).containsOnlyKeys("team");
    }

    @Test
    void theActiveServiceOfARollingReleaseSelectsThePodsAndMapsThePorts() {
        msd.getSpec().getService().setPort(80);
        msd.getSpec().getService().setTargetPort(9090);
        var service = TrafficServiceBuilder.active(msd, WorkloadLabels.podSelector(msd));
        assertThat(service.getMetadata().getName()).isEqualTo("shop");
        assertThat(service.getSpec().getSelector())
                .containsExactlyEntriesOf(java.util.Map.of("blueshift.dev/msd", "shop"));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(80);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(9090);
        });
    }

    static Stream<Arguments> observedDeployments() {
        return Stream.of(
                Arguments.of("no Deployment yet", null, Phase.Progressing, "DeploymentPending"),
                Arguments.of(
                        "controller has not seen the new generation",
                        deployment(2, 1, 3, 3, 3, 3, null),
                        Phase.Progressing,
                        "DeploymentUpdating"),
                Arguments.of(
                        "all Pods updated and ready",
                        deployment(1, 1, 3, 3, 3, 3, null),
                        Phase.Healthy,
                        "RolloutComplete"),
                Arguments.of(
                        "old Pods still running",
                        deployment(1, 1, 4, 3, 3, 3, null),
                        Phase.Progressing,
                        "RolloutInProgress"),
                Arguments.of(
                        "new Pods not ready",
                        deployment(1, 1, 3, 3, 1, 1, null),
                        Phase.Progressing,
                        "RolloutInProgress"),
                Arguments.of(
                        "scaled up, not all created",
                        deployment(1, 1, 2, 2, 2, 2, null),
                        Phase.Progressing,
                        "RolloutInProgress"),
                Arguments.of(
                        "progress deadline exceeded",
                        deployment(1, 1, 3, 1, 1, 1, "ProgressDeadlineExceeded"),
                        Phase.Degraded,
                        "ProgressDeadlineExceeded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observedDeployments")
    void progressFollowsTheObservedDeployment(String situation, Deployment observed, Phase phase, String reason) {
        Progress progress = RollingRelease.progress(msd, Optional.ofNullable(observed));
        assertThat(progress.phase()).as(situation).isEqualTo(phase);
        assertThat(progress.reason()).isEqualTo(reason);
        assertThat(progress.message()).isNotBlank();
    }

    @Test
    void progressReportsReplicaCounts() {
        Progress progress = RollingRelease.progress(msd, Optional.of(deployment(1, 1, 3, 3, 2, 2, null)));
        assertThat(progress.replicas()).isEqualTo(3);
        assertThat(progress.readyReplicas()).isEqualTo(2);
    }

    private static Deployment deployment(
            long generation,
            long observedGeneration,
            int replicas,
            int updated,
            int ready,
            int available,
            String stalledReason) {
        var status = new DeploymentBuilder()
                .withNewMetadata()
                .withName("shop")
                .withGeneration(generation)
                .endMetadata()
                .withNewStatus()
                .withObservedGeneration(observedGeneration)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available);
        if (stalledReason != null) {
            status.addToConditions(new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason(stalledReason)
                    .withMessage("ReplicaSet shop-1 has timed out progressing.")
                    .build());
        }
        return status.endStatus().build();
    }
}
