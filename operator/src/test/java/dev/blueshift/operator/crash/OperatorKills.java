package dev.blueshift.operator.crash;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kills the operator with SIGKILL, keeps it down for a random while (0.1 to 1.5 s), then starts it
 * again (as a container restarted in its Pod: same leader-election identity).
 */
final class OperatorKills extends Disruption {
    private final OperatorProcess operator;
    private final AtomicInteger deferred = new AtomicInteger();

    OperatorKills(OperatorProcess operator, Random random, KubernetesClient client, String namespace) {
        super(operator, random, client, namespace, Duration.ofSeconds(12));
        this.operator = operator;
    }

    @Override
    String what() {
        return "kills";
    }

    @Override
    protected void disrupt(String moment, Random random) {
        // A kill while it starts again proves little and slows every release: it waits until the
        // operator reconciles (counted, so the report says how far the moment moved).
        if (!operator.reconciling()) {
            deferred.incrementAndGet();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!operator.reconciling() && System.nanoTime() < until) {
                sleep(100);
            }
        }
        operator.kill();
        sleep(100 + random.nextInt(1400));
        operator.start();
    }

    @Override
    String report() {
        return super.report() + "; kills deferred until the restarted operator reconciled " + deferred.get();
    }
}
