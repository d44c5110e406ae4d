package dev.blueshift.operator.aws;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where MSDs' AWS work runs, and how long a reconcile waits for it. Taking a permit never waits: an
 * MSD that finds them all taken asks AWS nothing this time, keeps what is known and comes back
 * shortly. So however slow or unreachable AWS is, it holds at most {@code maxConcurrentSyncs}
 * threads, and reconciles go on with Kubernetes work (releases, rollbacks) undisturbed. A sync
 * that takes longer than {@code syncWait} goes on in the background (still holding its permit)
 * and wakes its MSD when done.
 */
final class BackgroundSyncs {
    /** How soon an MSD that found every AWS permit taken, or its sync still running, comes back. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    /**
     * What came of asking for a sync.
     *
     * @param started a permit was free and the work ran, or runs on
     * @param result the work's result, when it finished within the sync wait
     */
    record Attempt<T>(boolean started, Optional<T> result) {}

    private final int maxConcurrentSyncs;
    private final Semaphore permits;
    private final Duration syncWait;
    private final Consumer<ResourceID> wake;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blueshift-aws-sync");
        t.setDaemon(true);
        return t;
    });

    /** @param wake reconciles an MSD whose sync finished after its reconcile stopped waiting */
    BackgroundSyncs(SyncSettings settings, Consumer<ResourceID> wake) {
        this.maxConcurrentSyncs = settings.maxConcurrentSyncs();
        this.permits = new Semaphore(maxConcurrentSyncs);
        this.syncWait = settings.syncWait();
        this.wake = wake;
    }

    /** Whether the MSD's sync still runs in the background. */
    boolean running(String uid) {
        return running.contains(uid);
    }

    /** How many MSDs' AWS work is running now. */
    int inProgress() {
        return maxConcurrentSyncs - permits.availablePermits();
    }

    /** Runs {@code work} for the MSD on a sync thread when a permit is free, and waits for it up to the sync wait. */
    <T> Attempt<T> run(String uid, ResourceID msd, Supplier<T> work) {
        if (!permits.tryAcquire()) {
            return new Attempt<>(false, Optional.empty());
        }
        running.add(uid);
        AtomicBoolean handedOff = new AtomicBoolean();
        Future<T> sync;
        try {
            sync = threads.submit(() -> {
                try {
                    return work.get();
                } finally {
                    permits.release();
                    running.remove(uid);
                    if (handedOff.get()) {
                        wake.accept(msd);
                    }
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            running.remove(uid);
            throw e;
        }
        try {
            return new Attempt<>(true, Optional.of(sync.get(syncWait.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException e) {
            handedOff.set(true);
            // Finished in between: its wake may have come too early to see the hand-off (else the
            // deferred outcome's short requeue brings the MSD back).
            return new Attempt<>(true, sync.isDone() ? Optional.of(done(sync)) : Optional.empty());
        } catch (InterruptedException e) {
            handedOff.set(true);
            Thread.currentThread().interrupt();
            return new Attempt<>(true, Optional.empty());
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** Runs {@code work} on this thread holding a permit; empty, and nothing run, when every permit is taken. */
    <T> Optional<T> withPermit(Supplier<T> work) {
        if (!permits.tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.get());
        } finally {
            permits.release();
        }
    }

    String runningMessage() {
        return "Waiting for AWS: this MSD's AWS work takes longer than blueshift.aws.sync-wait (" + syncWait.toMillis()
                + " ms) and goes on in the background; AWS may be slow. Its result is applied when it ends.";
    }

    String busyMessage() {
        return "Waiting for AWS: the AWS work of other MSDs holds every permit (blueshift.aws.max-concurrent-syncs = "
                + maxConcurrentSyncs + "); AWS may be slow or unreachable. Trying again in " + BUSY_RETRY.toSeconds()
                + " s.";
    }

    private static <T> T done(Future<T> sync) {
        try {
            return sync.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
}
