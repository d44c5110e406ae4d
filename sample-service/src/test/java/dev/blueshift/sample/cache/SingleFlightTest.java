package dev.blueshift.sample.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
    private final AtomicInteger joins = new AtomicInteger();
    private final SingleFlight<String, String> flight = new SingleFlight<>(joins::incrementAndGet);
    private final ExecutorService callers = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /** Starts a load of "key" that blocks until released, and waits until it is running. */
    private Future<String> blockedLoad(CountDownLatch release, AtomicInteger loads, String result) {
        Future<String> leader = callers.submit(() -> flight.load("key", () -> {
            loads.incrementAndGet();
            waitFor(release);
            return result;
        }));
        await().until(() -> flight.inFlight() == 1);
        return leader;
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void concurrentCallersShareOneLoad() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        Future<String> leader = blockedLoad(release, loads, "value");
        Future<String> follower1 = callers.submit(() -> flight.load("key", () -> "never used"));
        Future<String> follower2 = callers.submit(() -> flight.load("key", () -> "never used"));
        await().until(() -> joins.get() == 2);
        release.countDown();
        assertThat(leader.get()).isEqualTo("value");
        assertThat(follower1.get()).isEqualTo("value");
        assertThat(follower2.get()).isEqualTo("value");
        assertThat(loads).hasValue(1);
        assertThat(flight.inFlight()).isZero();
    }

    @Test
    void aFailedLoadFailsEveryWaiterAndIsNotRemembered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<String> leader = callers.submit(() -> flight.load("key", () -> {
            waitFor(release);
            throw new IllegalStateException("database down");
        }));
        await().until(() -> flight.inFlight() == 1);
        CompletableFuture<String> follower =
                CompletableFuture.supplyAsync(() -> flight.load("key", () -> "unused"), callers);
        await().until(() -> joins.get() == 1);
        release.countDown();
        assertThatThrownBy(leader::get).hasRootCauseMessage("database down");
        assertThatThrownBy(follower::join).hasRootCauseMessage("database down");
        assertThat(flight.load("key", () -> "fresh")).isEqualTo("fresh");
    }

    @Test
    void differentKeysLoadIndependently() {
        assertThat(flight.load("a", () -> "1")).isEqualTo("1");
        assertThat(flight.load("b", () -> "2")).isEqualTo("2");
        assertThat(joins).hasValue(0);
    }
}
