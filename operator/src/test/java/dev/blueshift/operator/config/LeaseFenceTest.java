package dev.blueshift.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseFenceTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger exits = new AtomicInteger();
    private final LeaseFence fence = new LeaseFence(now::get, Duration.ofSeconds(5), exits::incrementAndGet);

    private void at(long millis) {
        now.set(Duration.ofMillis(millis).toNanos());
    }

    @Test
    void withoutLeadershipNothingIsEverRefused() {
        at(0);
        fence.tick();
        at(60_000);
        fence.check();
        fence.tick();
        fence.check();
        assertThat(fence.fenced()).isFalse();
        assertThat(exits).hasValue(0);
    }

    @Test
    void aLeaderThatHandsItsLeaseBackWritesNothingMore() {
        fence.arm();
        at(200);
        fence.tick();
        assertThat(fence.leading()).isTrue();

        fence.retire();

        assertThat(fence.leading()).isFalse();
        assertThatThrownBy(fence::check)
                .isInstanceOf(LeaseFence.FencedException.class)
                .hasMessageContaining("handed its leader lease back");
        assertThat(exits).hasValue(0);
    }

    @Test
    void aReplicaThatNeverLedHasNoLeaseToHandBack() {
        assertThat(fence.leading()).isFalse();
    }

    @Test
    void aLeaderWhoseTickerKeepsBeatingWrites() {
        fence.arm();
        for (long t = 200; t <= 30_000; t += 200) {
            at(t);
            fence.tick();
            fence.check();
        }
        assertThat(exits).hasValue(0);
    }

    @Test
    void aWriteRightAfterAFreezeIsRefusedEvenBeforeTheTickerRuns() {
        fence.arm();
        at(200);
        fence.tick();
        at(18_000); // SIGSTOP for 17.8 s; a reconcile thread runs first on SIGCONT
        assertThatThrownBy(fence::check)
                .isInstanceOf(LeaseFence.FencedException.class)
                .hasMessageContaining("frozen for 17800 ms");
    }

    @Test
    void onceTheTickerFoundAFreezeEveryLaterWriteIsRefusedAndTheReplicaExits() {
        fence.arm();
        at(200);
        fence.tick();
        at(18_000);
        fence.tick();
        assertThat(fence.fenced()).isTrue();
        assertThat(exits).hasValue(1);
        at(18_100);
        fence.tick();
        assertThatThrownBy(fence::check).isInstanceOf(LeaseFence.FencedException.class);
        assertThat(exits).hasValue(1);
    }

    @Test
    void aPauseShorterThanTheMarginIsTolerated() {
        fence.arm();
        at(4_900);
        fence.check();
        fence.tick();
        assertThat(fence.fenced()).isFalse();
    }
}
