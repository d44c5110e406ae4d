package dev.blueshift.operator.crash;

import dev.blueshift.operator.support.RepoPaths;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Crashes the local control plane's kube-apiserver and starts it again with the same flags, then
 * its kube-controller-manager ({@code hack/cluster.sh restart-apiserver}: Kubernetes' own
 * controllers do not all recover from an API server restart by themselves): for 0 to 2 s nothing
 * answers, then it answers again with what etcd kept. Every client (the operator's informers and writes, the suite's watches)
 * sees its connections drop mid-request.
 */
final class ApiServerRestarts extends Disruption {
    private final List<Long> outagesMillis = Collections.synchronizedList(new ArrayList<>());

    ApiServerRestarts(OperatorProcess operator, Random random, KubernetesClient client, String namespace) {
        super(operator, random, client, namespace, Duration.ofSeconds(45));
    }

    @Override
    String what() {
        return "API server restarts";
    }

    @Override
    protected void disrupt(String moment, Random random) {
        long started = System.nanoTime();
        int downSeconds = random.nextInt(3);
        ProcessBuilder restart = new ProcessBuilder(
                        RepoPaths.root().resolve("hack/cluster.sh").toString(),
                        "restart-apiserver",
                        Integer.toString(downSeconds))
                .redirectErrorStream(true);
        try {
            Process process = restart.start();
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(
                        "hack/cluster.sh restart-apiserver exited " + exit + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outagesMillis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Override
    String report() {
        List<Long> sorted;
        synchronized (outagesMillis) {
            sorted = outagesMillis.stream().sorted().toList();
        }
        return super.report() + "; outage (kill to ready) ms median "
                + (sorted.isEmpty() ? "-" : sorted.get(sorted.size() / 2)) + " max "
                + (sorted.isEmpty() ? "-" : sorted.get(sorted.size() - 1));
    }
}
