package dev.blueshift.operator.realnode;

import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.BlueGreen;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.RealNode;
import dev.blueshift.operator.support.RealNodeOnly;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What scaleDownDelaySeconds protects, measured on the real node: BlueGreen releases of the sample
 * service (whose Pods stop listening as soon as they get SIGTERM: no preStop hook) under traffic
 * through the active Service, with the replaced revision scaled down at once (0 s) and after the
 * delay. Prints the failed requests of each release. A benchmark, not a test: `make bench-node`;
 * excluded from `make test` (with a delay of 0 the failures depend on timing).
 */
@ClusterTest
@Tag("benchmark")
@RealNodeOnly
class ScaleDownDelayBenchmark {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();
    private static final int RELEASES = Integer.getInteger("blueshift.bench.releases", 3);
    private static final Duration POD_TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void failedRequestsThroughReleasesWithAndWithoutTheScaleDownDelay() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int delay : new int[] {0, 5}) {
            String name = "shop-" + delay;
            MsdFixture msds = new MsdFixture(client, namespace.name(), POD_TIMEOUT);
            MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), name, 2, "unused");
            msd.getSpec().setTemplate(RealNode.sampleServiceTemplate());
            BlueGreen settings = msd.getSpec().getStrategy().getBlueGreen();
            settings.setScaleDownDelaySeconds(delay);
            settings.setPreviewReplicaCount(1);
            msds.create(msd);
            msds.awaitPhase(name, Phase.Healthy);
            String clusterIp = msds.service(name).getSpec().getClusterIP();
            List<Long> failed = new ArrayList<>();
            long sent = 0;
            for (int i = 1; i <= RELEASES; i++) {
                try (ServiceTraffic shop = ServiceTraffic.start(client, namespace.name(), name, clusterIp, 2)) {
                    String before = msds.msd(name).get().getStatus().getStableRevision();
                    String mark = Integer.toString(i);
                    msds.edit(name, m -> {
                        m.getSpec().getTemplate().getMetadata().getAnnotations().put("blueshift.dev/restartedAt", mark);
                        return m;
                    });
                    msds.awaitStatus(
                            name,
                            "release " + i + " stable",
                            s -> s.getPhase() == Phase.Healthy
                                    && s.getStableRevision() != null
                                    && !s.getStableRevision().equals(before));
                    // Until the replaced revision's Pods are gone.
                    await().atMost(POD_TIMEOUT)
                            .until(() -> client.pods().inNamespace(namespace.name()).list().getItems().stream()
                                    .noneMatch(p -> before.equals(
                                            p.getMetadata().getLabels().get(WorkloadLabels.REVISION))));
                    shop.recorder().awaitMore(50);
                    ServiceTraffic.Recording seen = shop.recording();
                    sent += seen.requests().size();
                    failed.add(seen.requests().stream()
                            .filter(TrafficRecorder.Request::failed)
                            .count());
                }
            }
            lines.add(String.format("| %d s | %d | %d | %s |", delay, RELEASES, sent, failed));
        }
        System.out.println("[scale-down-delay] releases of the sample service (2 Pods) under traffic on the real node");
        System.out.println("[scale-down-delay] | scaleDownDelaySeconds | releases | requests | failed, by release |");
        lines.forEach(l -> System.out.println("[scale-down-delay] " + l));
    }
}
