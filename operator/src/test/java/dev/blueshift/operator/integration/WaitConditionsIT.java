package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.Kubectl;
import dev.blueshift.operator.support.KubectlPlugin;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `kubectl wait` on an MSD's conditions, as a CI pipeline runs it: Available while enough Pods of
 * the active revision serve (a paused release included), Progressing while a release is underway,
 * Ready once the release of the current spec is done.
 */
@ClusterTest
@KwokOnly
class WaitConditionsIT {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    private MsdFixture msds;

    @BeforeEach
    void fixture() {
        msds = new MsdFixture(client, namespace.name());
    }

    @Test
    void aBlueGreenMsdIsAvailableWhilePausedInPreviewAndReadyOnlyOncePromoted() {
        msds.create(Msds.blueGreenPausingForPromotion(namespace.name(), "shop", 2, "shop:1"));
        assertWaitSucceeds("shop", "Ready");
        assertWaitSucceeds("shop", "Available");

        msds.setImage("shop", "shop:2");
        MicroserviceDeployment paused = msds.awaitCurrentPhase("shop", Phase.Paused);
        assertWaitSucceeds("shop", "Available");
        assertWaitSucceeds("shop", "Progressing");
        assertThat(MsdFixture.condition(paused, "Progressing").getReason()).isEqualTo("AwaitingPromotion");
        KubectlPlugin.Result notReady = waitFor("shop", "Ready", "2s");
        assertThat(notReady.exitCode()).as(notReady.output()).isNotZero();
        assertThat(notReady.output()).contains("timed out");

        msds.command("shop", "blueshift.dev/promote");
        assertWaitSucceeds("shop", "Ready");
        MicroserviceDeployment released = msds.msd("shop").get();
        assertThat(released.getStatus().getStableRevision())
                .isEqualTo(paused.getStatus().getPreviewRevision());
        assertThat(MsdFixture.condition(released, "Progressing").getStatus()).isEqualTo("False");
    }

    @Test
    void aRollingMsdIsReadyOnlyOnceTheReleaseOfTheCurrentSpecIsDone() {
        msds.create(Msds.rolling(namespace.name(), "cart", 2, "cart:1"));
        assertWaitSucceeds("cart", "Ready");
        assertWaitSucceeds("cart", "Available");

        MicroserviceDeployment edited = msds.setImage("cart", "cart:2");
        // At once after the edit: Ready=True of the previous generation does not count (observedGeneration).
        assertWaitSucceeds("cart", "Ready");

        MicroserviceDeployment released = msds.msd("cart").get();
        assertThat(released.getStatus().getObservedGeneration())
                .isEqualTo(edited.getMetadata().getGeneration());
        assertThat(released.getStatus().getPhase()).isEqualTo(Phase.Healthy);
        assertThat(msds.deploymentImage("cart")).isEqualTo("cart:2");
        assertThat(released.getStatus().getReadyReplicas()).isEqualTo(2);
    }

    @Test
    void aFirstReleaseWhosePodsCannotBeScheduledIsNotAvailableAndSaysHowManyServe() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "kiosk", 2, "kiosk:1");
        // No node has this label: the Pods stay Pending, never ready.
        msd.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("blueshift.dev/test-no-such-node", "true"));
        msds.create(msd);

        MicroserviceDeployment waiting = msds.awaitCurrentPhase("kiosk", Phase.Progressing);
        Condition available = MsdFixture.condition(waiting, "Available");
        assertThat(available.getStatus()).isEqualTo("False");
        assertThat(available.getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(available.getMessage()).isEqualTo("0 ready Pods serve (at least 2 of 2 needed).");
        assertThat(MsdFixture.condition(waiting, "Progressing").getStatus()).isEqualTo("True");

        msds.edit("kiosk", m -> {
            m.getSpec().getTemplate().getSpec().setNodeSelector(null);
            return m;
        });
        assertWaitSucceeds("kiosk", "Available");
    }

    private void assertWaitSucceeds(String msd, String condition) {
        KubectlPlugin.Result result = waitFor(msd, condition, "60s");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("condition met");
    }

    private KubectlPlugin.Result waitFor(String msd, String condition, String timeout) {
        return Kubectl.run(
                namespace.name(), "wait", "--for=condition=" + condition, "msd/" + msd, "--timeout=" + timeout);
    }
}
