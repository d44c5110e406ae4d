package dev.blueshift.operator.benchmark;

import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prints what many MSDs cost the operator: the heap it holds per MSD once they are all released
 * (its informer caches and memos: the ReplicaSets, Services and Pods' owners of every MSD), the
 * time for all of them to become Healthy, and the time for a release of every one at once. The
 * anchors' users report memory that grows with thousands of rollouts; this is the number to
 * watch. A benchmark, not a test: `make bench-scale`; excluded from `make test`.
 */
@ClusterTest
@Tag("benchmark")
@KwokOnly
class ScaleBenchmark {
    /**
     * Each BlueGreen MSD has 2 Services; the local control plane's Service IP range (kwokctl's
     * default) holds about 250, so more than about 120 MSDs need a cluster with a larger range.
     */
    private static final int MSDS = Integer.getInteger("blueshift.bench.msds", 100);

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    /** Heap in use after a full collection, in bytes (the test JVM runs the operator under test). */
    private static long heapAfterGc() {
        // A full, stop-the-world collection each (G1 without ExplicitGCInvokesConcurrent): what one
        // leaves to reference processing the next collects.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private long awaitAll(
            MixedOperation<
                            MicroserviceDeployment,
                            ? extends KubernetesResourceList<MicroserviceDeployment>,
                            Resource<MicroserviceDeployment>>
                    msds,
            Predicate<MicroserviceDeployment> done) {
        long start = System.nanoTime();
        await().pollInterval(Duration.ofSeconds(1))
                .atMost(Duration.ofMinutes(10))
                .until(() -> {
                    List<MicroserviceDeployment> items =
                            msds.inNamespace(namespace.name()).list().getItems();
                    items.stream()
                            .filter(m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Failed)
                            .findFirst()
                            .ifPresent(m -> {
                                throw new AssertionError(m.getMetadata().getName() + " failed: "
                                        + m.getStatus().getMessage());
                            });
                    return items.stream().filter(done).count() == MSDS;
                });
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** Runs {@code work} for every MSD index on the writer threads, and waits for all of it. */
    private static void forEachMsd(ExecutorService writers, IntConsumer work) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < MSDS; i++) {
            int index = i;
            running.add(writers.submit(() -> work.accept(index)));
        }
        for (Future<?> f : running) {
            f.get();
        }
    }

    @Test
    void manyMsds() throws Exception {
        try (KubernetesClient client = LocalControlPlane.client()) {
            var msds = client.resources(MicroserviceDeployment.class);
            long heapBefore = heapAfterGc();

            ExecutorService writers = Executors.newFixedThreadPool(8);
            long start = System.nanoTime();
            forEachMsd(writers, i -> {
                MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "svc-" + i, 1, "bench:0");
                msd.getMetadata().setUid(null);
                msd.getMetadata().setGeneration(null);
                client.resource(LocalControlPlane.claim(msd)).create();
            });
            long createMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            long healthyMillis =
                    awaitAll(msds, m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Healthy)
                            + createMillis;
            long heapAfter = heapAfterGc();

            long releaseStart = System.nanoTime();
            forEachMsd(
                    writers,
                    i -> msds.inNamespace(namespace.name()).withName("svc-" + i).edit(m -> {
                        Msds.setImage(m, "bench:1");
                        return m;
                    }));
            awaitAll(
                    msds,
                    m -> m.getStatus() != null
                            && m.getStatus().getPhase() == Phase.Healthy
                            && m.getStatus().getObservedGeneration() != null
                            && m.getStatus()
                                    .getObservedGeneration()
                                    .equals(m.getMetadata().getGeneration())
                            && m.getStatus().getCurrentRevision() != null
                            && m.getStatus()
                                    .getCurrentRevision()
                                    .equals(m.getStatus().getStableRevision()));
            long releaseMillis =
                    Duration.ofNanos(System.nanoTime() - releaseStart).toMillis();
            long heapAfterRelease = heapAfterGc();
            writers.shutdown();

            System.out.printf("%n%d BlueGreen MSDs of 1 replica each, one namespace, operator in the test JVM%n", MSDS);
            System.out.printf(
                    "  created and all Healthy in %.1f s (the creates took %.1f s)%n",
                    healthyMillis / 1000.0, createMillis / 1000.0);
            System.out.printf(
                    "  a release of every one at once: all stable on the new revision in %.1f s%n",
                    releaseMillis / 1000.0);
            System.out.printf(
                    "  heap after GC: %.1f MB before, %.1f MB with them released, %.1f MB after their second release%n",
                    heapBefore / 1e6, heapAfter / 1e6, heapAfterRelease / 1e6);
            System.out.printf(
                    "  heap per MSD: %.1f KB (first release), %.1f KB (after the second: 2 ReplicaSets each)%n%n",
                    (heapAfter - heapBefore) / 1e3 / MSDS, (heapAfterRelease - heapBefore) / 1e3 / MSDS);
        }
    }
}
