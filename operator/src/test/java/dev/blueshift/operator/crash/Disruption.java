package dev.blueshift.operator.crash;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Something that goes wrong while releases run (the operator killed, the API server restarted),
 * when the {@link ReleaseTorture} asks for it at a named moment (mid-promotion, mid-abort, ...)
 * and at random moments besides. One at a time: a request while one is pending is absorbed.
 * Counts what it did by moment and the phases the MSDs were in, for the report.
 */
abstract class Disruption implements AutoCloseable {
    private final Random random;
    private final KubernetesClient client;
    private final String namespace;
    private final Duration randomEvery;
    protected final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicInteger count = new AtomicInteger();
    private final Map<String, AtomicInteger> byMoment = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> phasesAt = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean random_ = true;

    private final OperatorProcess operator;
    private final AtomicInteger exits = new AtomicInteger();

    /**
     * @param operator started again whenever it exits by itself, as its Pod's container would be
     *     (counted: {@link #exits})
     * @param randomEvery the mean gap between random disruptions (drawn from 0.5x to 1.5x)
     */
    Disruption(
            OperatorProcess operator, Random random, KubernetesClient client, String namespace, Duration randomEvery) {
        this.operator = operator;
        this.random = random;
        this.client = client;
        this.namespace = namespace;
        this.randomEvery = randomEvery;
        scheduleRandom();
        executor.scheduleWithFixedDelay(this::restartIfExited, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void restartIfExited() {
        if (!operator.alive()) {
            exits.incrementAndGet();
            operator.start();
        }
    }

    /** Times the operator exited by itself (not by this disruption) and was started again. */
    int exits() {
        return exits.get();
    }

    /** What this disruption is, for the report ("kills", "API server restarts"). */
    abstract String what();

    /** Disrupts now, and returns once things are back (the operator started again, the API ready). */
    protected abstract void disrupt(String moment, Random random);

    /**
     * Whether to disrupt at this moment: always until it has happened at this moment twice (so that
     * every run covers every moment), then with {@code probability}. Draws from the caller's random.
     */
    boolean wants(String moment, Random random, double probability) {
        boolean draw = random.nextDouble() < probability;
        AtomicInteger done = byMoment.get(moment);
        return draw || done == null || done.get() < 2;
    }

    void soon(String moment, long delayMillis) {
        if (pending.compareAndSet(false, true)) {
            executor.schedule(() -> run(moment), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    void stopRandom() {
        random_ = false;
    }

    int count() {
        return count.get();
    }

    Map<String, AtomicInteger> byMoment() {
        return new TreeMap<>(byMoment);
    }

    /** One line for the report. */
    String report() {
        return what() + " " + count() + " by moment " + byMoment() + "; MSD phases at them " + new TreeMap<>(phasesAt)
                + "; operator exits by itself (restarted as its Pod would be) " + exits.get();
    }

    private void scheduleRandom() {
        long mean = randomEvery.toMillis();
        executor.schedule(this::randomDisruption, mean / 2 + random.nextLong(mean), TimeUnit.MILLISECONDS);
    }

    private void randomDisruption() {
        if (!random_) {
            return;
        }
        try {
            if (pending.compareAndSet(false, true)) {
                run("random");
            }
        } finally {
            scheduleRandom();
        }
    }

    private void run(String moment) {
        try {
            countPhases();
            disrupt(moment, random);
            count.incrementAndGet();
            byMoment.computeIfAbsent(moment, m -> new AtomicInteger()).incrementAndGet();
        } catch (RuntimeException e) {
            // A disruption that could not be made is a broken suite, not a survived fault: reported and failed on.
            failures.add(moment + ": " + e);
        } finally {
            pending.set(false);
        }
    }

    /** Disruptions that could not be made (each fails the suite). */
    List<String> failures() {
        return List.copyOf(failures);
    }

    private void countPhases() {
        try {
            for (MicroserviceDeployment m : client.resources(MicroserviceDeployment.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems()) {
                String phase = m.getMetadata().getDeletionTimestamp() != null
                        ? "Deleting"
                        : m.getStatus() == null || m.getStatus().getPhase() == null
                                ? "New"
                                : m.getStatus().getPhase().name();
                phasesAt.computeIfAbsent(phase, p -> new AtomicInteger()).incrementAndGet();
            }
        } catch (RuntimeException e) {
            // the count of phases is for the report only
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
