package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Rolling strategy end to end: the operator, the real API server, its controllers and kwok. */
@ClusterTest
@KwokOnly
class RollingReleaseIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void applyingAnMsdCreatesItsDeploymentAndServiceAndReportsReady() {
        create(Msds.rolling(namespace.name(), "shop", 2, "registry.example/shop:1.0"));

        Deployment deployment = await().atMost(TIMEOUT).until(() -> deployment("shop"), d -> d != null);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.example/shop:1.0");
        assertThat(deployment.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("MicroserviceDeployment"));

        Service service = await().atMost(TIMEOUT).until(() -> service("shop"), s -> s != null);
        assertThat(service.getSpec().getSelector()).containsExactlyEntriesOf(Map.of("blueshift.dev/msd", "shop"));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(80);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080);
        });

        MicroserviceDeployment ready = awaitPhase("shop", Phase.Healthy);
        assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(ready.getStatus().getReplicas()).isEqualTo(2);
        assertThat(ready.getStatus().getObservedGeneration())
                .isEqualTo(ready.getMetadata().getGeneration());
        assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(ready, "Ready").getLastTransitionTime()).isNotBlank();
        assertThat(client.pods()
                        .inNamespace(namespace.name())
                        .withLabel("blueshift.dev/msd", "shop")
                        .list()
                        .getItems())
                .hasSize(2)
                .allSatisfy(pod -> assertThat(pod.getStatus().getConditions())
                        .anySatisfy(c ->
                                assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True")));
    }

    @Test
    void changingReplicasOrImageUpdatesTheDeployment() {
        create(Msds.rolling(namespace.name(), "cart", 1, "registry.example/cart:1.0"));
        awaitPhase("cart", Phase.Healthy);

        msd("cart").edit(m -> {
            m.getSpec().setReplicas(3);
            return m;
        });
        await().atMost(TIMEOUT).until(() -> deployment("cart").getSpec().getReplicas() == 3);
        MicroserviceDeployment scaled = await().atMost(TIMEOUT)
                .until(
                        () -> msd("cart").get(),
                        m -> m.getStatus() != null
                                && Integer.valueOf(3).equals(m.getStatus().getReadyReplicas())
                                && m.getStatus().getPhase() == Phase.Healthy);
        assertThat(scaled.getStatus().getObservedGeneration()).isEqualTo(2L);

        msd("cart").edit(m -> {
            m.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/cart:2.0");
            return m;
        });
        await().atMost(TIMEOUT)
                .until(
                        () -> deployment("cart")
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage(),
                        "registry.example/cart:2.0"::equals);
        MicroserviceDeployment updated = await().atMost(TIMEOUT)
                .until(
                        () -> msd("cart").get(),
                        m -> m.getStatus() != null
                                && Long.valueOf(3).equals(m.getStatus().getObservedGeneration())
                                && m.getStatus().getPhase() == Phase.Healthy);
        assertThat(updated.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(client.pods()
                        .inNamespace(namespace.name())
                        .withLabel("blueshift.dev/msd", "cart")
                        .list()
                        .getItems())
                .filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
                .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage())
                        .isEqualTo("registry.example/cart:2.0"));
    }

    @Test
    void aRolloutWhosePodsCannotBeScheduledIsDegradedAtTheProgressDeadlineAndRecoversWhenFixed() {
        MicroserviceDeployment msd = Msds.rolling(namespace.name(), "kiosk", 2, "registry.example/kiosk:1.0");
        msd.getSpec().setProgressDeadlineSeconds(3);
        create(msd);
        awaitPhase("kiosk", Phase.Healthy);
        assertThat(deployment("kiosk").getSpec().getProgressDeadlineSeconds()).isEqualTo(3);

        // No node has this label: the new Pods stay Pending, never ready.
        msd("kiosk").edit(m -> {
            m.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("blueshift.dev/test-no-such-node", "true"));
            return m;
        });
        MicroserviceDeployment degraded = awaitPhase("kiosk", Phase.Degraded);
        assertThat(condition(degraded, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(degraded, "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(condition(degraded, "Ready").getStatus()).isEqualTo("False");
        assertThat(client.v1().events().inNamespace(namespace.name()).list().getItems())
                .anySatisfy(e -> assertThat(e.getType() + " " + e.getReason()).isEqualTo("Warning PhaseDegraded"));

        msd("kiosk").edit(m -> {
            m.getSpec().getTemplate().getSpec().setNodeSelector(null);
            return m;
        });
        awaitPhase("kiosk", Phase.Healthy);
    }

    @Test
    void deletingTheMsdLetsTheGarbageCollectorRemoveWhatItOwned() {
        create(Msds.rolling(namespace.name(), "search", 2, "registry.example/search:1.0"));
        awaitPhase("search", Phase.Healthy);
        assertThat(client.apps()
                        .replicaSets()
                        .inNamespace(namespace.name())
                        .list()
                        .getItems())
                .isNotEmpty();

        msd("search").delete();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(deployment("search")).isNull();
            assertThat(service("search")).isNull();
            assertThat(client.apps()
                            .replicaSets()
                            .inNamespace(namespace.name())
                            .list()
                            .getItems())
                    .isEmpty();
            assertThat(client.pods().inNamespace(namespace.name()).list().getItems())
                    .isEmpty();
        });
    }

    @Test
    void anObjectOwnedBySomeoneElseIsNeverTakenOver() {
        Service foreign = client.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("billing")
                        .withNamespace(namespace.name())
                        .endMetadata()
                        .withNewSpec()
                        .addToSelector("app", "legacy-billing")
                        .addNewPort()
                        .withPort(9000)
                        .endPort()
                        .endSpec()
                        .build())
                .create();

        create(Msds.rolling(namespace.name(), "billing", 1, "registry.example/billing:1.0"));

        MicroserviceDeployment failed = awaitPhase("billing", Phase.Failed);
        Condition error = condition(failed, "ReconcileError");
        assertThat(error.getStatus()).isEqualTo("True");
        assertThat(error.getReason()).isEqualTo("NotOwned");
        assertThat(error.getMessage()).contains("Service " + namespace.name() + "/billing", "not owned");
        Service after = service("billing");
        assertThat(after.getSpec().getSelector()).containsExactlyEntriesOf(Map.of("app", "legacy-billing"));
        assertThat(after.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(after.getMetadata().getUid()).isEqualTo(foreign.getMetadata().getUid());

        // Once the owner removes it, the operator recovers by itself.
        client.resource(foreign).delete();
        MicroserviceDeployment healthy = awaitPhase("billing", Phase.Healthy);
        assertThat(condition(healthy, "ReconcileError").getStatus()).isEqualTo("False");
        assertThat(service("billing").getSpec().getSelector()).containsEntry("blueshift.dev/msd", "billing");
    }

    private void create(MicroserviceDeployment msd) {
        fixture().create(msd);
    }

    private io.fabric8.kubernetes.client.dsl.Resource<MicroserviceDeployment> msd(String name) {
        return fixture().msd(name);
    }

    private Deployment deployment(String name) {
        return fixture().deployment(name);
    }

    private Service service(String name) {
        return fixture().service(name);
    }

    private MicroserviceDeployment awaitPhase(String name, Phase phase) {
        return fixture().awaitPhase(name, phase);
    }

    private MsdFixture fixture() {
        return new MsdFixture(client, namespace.name());
    }

    private static Condition condition(MicroserviceDeployment msd, String type) {
        return MsdFixture.condition(msd, type);
    }
}
