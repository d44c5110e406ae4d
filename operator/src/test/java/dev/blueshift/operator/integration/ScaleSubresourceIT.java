package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The /scale subresource end to end: `kubectl scale`, the fabric8 client and a real
 * HorizontalPodAutoscaler (the control plane's kube-controller-manager runs the HPA controller)
 * resize an MSD; during a BlueGreen release the scale sizes the active revision and the one
 * promoted, never the preview.
 */
@ClusterTest
@KwokOnly
class ScaleSubresourceIT {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    private MsdFixture msds;

    @BeforeEach
    void fixture() {
        msds = new MsdFixture(client, namespace.name());
    }

    @Test
    void kubectlScaleAndTheScaleSubresourceResizeTheActiveRevisionAndReportItsPodsAndSelector() {
        msds.create(Msds.blueGreenPausingForPromotion(namespace.name(), "shop", 2, "shop:1"));
        String r1 = msds.awaitPhase("shop", Phase.Healthy).getStatus().getStableRevision();
        Scale scale = msds.msd("shop").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
        assertThat(scale.getStatus().getReplicas()).isEqualTo(2);
        assertThat(scale.getStatus().getSelector()).isEqualTo("blueshift.dev/msd=shop,blueshift.dev/revision=" + r1);

        KubectlPlugin.Result scaled = Kubectl.run(namespace.name(), "scale", "msd/shop", "--replicas=4");
        assertThat(scaled.exitCode()).as(scaled.output()).isZero();
        msds.awaitStatus("shop", "4 active Pods", s -> Integer.valueOf(4).equals(s.getActiveReplicas()));
        assertThat(replicasOf("shop", r1)).isEqualTo(4);
        assertThat(msds.awaitCurrentPhase("shop", Phase.Healthy).getStatus().getReadyReplicas())
                .isEqualTo(4);

        msds.msd("shop").scale(3);
        msds.awaitStatus("shop", "3 active Pods", s -> Integer.valueOf(3).equals(s.getActiveReplicas()));
        assertThat(msds.msd("shop").scale().getStatus().getReplicas()).isEqualTo(3);
        assertThat(replicasOf("shop", r1)).isEqualTo(3);

        // Below previewReplicaCount: refused at admission, naming the field (an HPA's minReplicas must not go there).
        assertThatThrownBy(() -> msds.msd("shop").scale(0))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("previewReplicaCount must not exceed spec.replicas");
        assertThat(msds.msd("shop").get().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aScaleDuringABlueGreenReleaseResizesTheActiveRevisionAndThePromotedOneButNotThePreview() {
        msds.create(Msds.blueGreenPausingForPromotion(namespace.name(), "cart", 2, "cart:1"));
        String r1 = msds.awaitPhase("cart", Phase.Healthy).getStatus().getStableRevision();
        msds.setImage("cart", "cart:2");
        String r2 = msds.awaitCurrentPhase("cart", Phase.Paused).getStatus().getPreviewRevision();

        msds.msd("cart").scale(4);

        MicroserviceDeployment paused = msds.awaitStatus(
                "cart",
                "the stable revision at 4 Pods, still paused",
                s -> Integer.valueOf(4).equals(s.getActiveReplicas())
                        && Integer.valueOf(4).equals(s.getReadyReplicas())
                        && s.getPhase() == Phase.Paused);
        assertThat(paused.getStatus().getActiveRevision()).isEqualTo(r1);
        assertThat(replicasOf("cart", r1)).isEqualTo(4);
        assertThat(replicasOf("cart", r2))
                .as("the preview keeps previewReplicaCount")
                .isEqualTo(1);
        assertThat(MsdFixture.condition(paused, "Available").getStatus()).isEqualTo("True");

        msds.command("cart", "blueshift.dev/promote");
        MicroserviceDeployment promoted = msds.awaitStatus(
                "cart", "r2 stable", s -> r2.equals(s.getStableRevision()) && s.getPhase() == Phase.Healthy);
        assertThat(replicasOf("cart", r2)).as("promoted to the scaled size").isEqualTo(4);
        assertThat(promoted.getStatus().getActiveReplicas()).isEqualTo(4);
        assertThat(msds.msd("cart").scale().getStatus().getSelector())
                .isEqualTo("blueshift.dev/msd=cart,blueshift.dev/revision=" + r2);
    }

    @Test
    void aHorizontalPodAutoscalerScalesARollingMsdUpToItsMinimumThroughTheScaleSubresource() {
        msds.create(Msds.rolling(namespace.name(), "search", 1, "search:1"));
        msds.awaitPhase("search", Phase.Healthy);

        // No metrics API here: the HPA controller still enforces minReplicas, through the scale subresource.
        client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace.name())
                .resource(hpa("search", 3, 5))
                .create();

        await().atMost(MsdFixture.TIMEOUT)
                .until(() -> msds.msd("search").get().getSpec().getReplicas() == 3);
        msds.awaitStatus(
                "search",
                "3 ready Pods, Healthy",
                s -> Integer.valueOf(3).equals(s.getReadyReplicas()) && s.getPhase() == Phase.Healthy);
        assertThat(msds.deployment("search").getSpec().getReplicas()).isEqualTo(3);
        HorizontalPodAutoscaler seen = await().atMost(MsdFixture.TIMEOUT)
                .until(
                        () -> client.autoscaling()
                                .v2()
                                .horizontalPodAutoscalers()
                                .inNamespace(namespace.name())
                                .withName("search")
                                .get(),
                        h -> h.getStatus() != null
                                && Integer.valueOf(3).equals(h.getStatus().getCurrentReplicas()));
        assertThat(seen.getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("AbleToScale=True"));
        assertThat(client.v1().events().inNamespace(namespace.name()).list().getItems())
                .anySatisfy(e ->
                        assertThat(e.getReason() + ": " + e.getMessage()).startsWith("SuccessfulRescale: New size: 3"));
    }

    private static HorizontalPodAutoscaler hpa(String msd, int min, int max) {
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName(msd)
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion(MicroserviceDeployment.GROUP + "/" + MicroserviceDeployment.VERSION)
                .withKind(MicroserviceDeployment.KIND)
                .withName(msd)
                .endScaleTargetRef()
                .withMinReplicas(min)
                .withMaxReplicas(max)
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(50)
                .endTarget()
                .endResource()
                .endMetric()
                .endSpec()
                .build();
    }

    private int replicasOf(String msd, String revision) {
        ReplicaSet rs = msds.replicaSet(msd + "-" + revision);
        return rs == null ? -1 : rs.getSpec().getReplicas();
    }
}
