package dev.blueshift.operator.config;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps a leader that was frozen (SIGSTOP, a paused VM, a stalled node) from writing after it
 * wakes. While it was frozen its lease ran out and another replica took over; when it runs again,
 * its reconcile threads still hold what its caches said before the freeze, and its timers are
 * overdue, so they may run before the leader-election thread finds the lease lost and the process
 * exits. A ticker notes the time every fraction of a second; a write is refused when the ticker
 * has not run for longer than {@code maxGap}, or ever since it once found such a gap (then the
 * replica exits, see {@link LeaderElectionSettings}). {@code maxGap} is the lease duration minus
 * the renew deadline: the margin leader election itself leaves between "the leader stops trusting
 * its lease" and "others may take over", so a replica never writes on a lease that may have moved.
 *
 * <p>Armed when this replica starts leading; without leader election it never is, and never
 * refuses. Only a write that had passed its check just before the freeze can still land after it.
 * Pure apart from the clock, so tests drive it by hand.
 */
public final class LeaseFence {
    /** A write refused because this replica may no longer hold the lease. */
    public static final class FencedException extends IllegalStateException {
        FencedException(String message) {
            super(message);
        }
    }

    private final LongSupplier nanoTime;
    private final long maxGapNanos;
    private final Runnable onFenced;
    private volatile boolean armed;
    private volatile boolean fenced;
    private volatile boolean retired;
    private volatile long lastTick;

    /** @param onFenced called once, from the ticker, when it finds this replica was frozen too long */
    public LeaseFence(LongSupplier nanoTime, Duration maxGap, Runnable onFenced) {
        this.nanoTime = nanoTime;
        this.maxGapNanos = maxGap.toNanos();
        this.onFenced = onFenced;
    }

    /** From now on writes need the ticker to keep running (this replica leads). */
    public void arm() {
        lastTick = nanoTime.getAsLong();
        armed = true;
    }

    /** The ticker's beat. Records a freeze before it records the time, so a check never misses one. */
    public void tick() {
        long now = nanoTime.getAsLong();
        if (armed && !fenced && now - lastTick > maxGapNanos) {
            fenced = true;
            onFenced.run();
        }
        lastTick = now;
    }

    /** Throws unless this replica may write: not armed, or armed and never frozen for longer than maxGap. */
    public void check() {
        if (retired) {
            throw new FencedException("this replica handed its leader lease back as it stops: it writes nothing more");
        }
        if (!armed) {
            return;
        }
        if (fenced) {
            throw new FencedException(
                    "this replica was frozen longer than it may trust its leader lease: it writes nothing more and exits");
        }
        long gap = nanoTime.getAsLong() - lastTick;
        if (gap > maxGapNanos) {
            throw new FencedException(
                    "this replica was frozen for " + Duration.ofNanos(gap).toMillis()
                            + " ms, longer than it may trust its leader lease: write refused");
        }
    }

    public boolean fenced() {
        return fenced;
    }

    /** This replica hands its lease back (it stops): from now on every write is refused. */
    public void retire() {
        retired = true;
    }

    /** Whether this replica has led: armed and never fenced since. */
    public boolean leading() {
        return armed && !fenced && !retired;
    }
}
