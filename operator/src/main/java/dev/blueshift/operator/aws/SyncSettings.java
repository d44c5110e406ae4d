package dev.blueshift.operator.aws;

import dev.blueshift.operator.config.AwsConfig;
import java.time.Duration;

/**
 * How often and how much {@link AwsResources} asks AWS, from {@code blueshift.aws.*}.
 *
 * @param resyncInterval how often an MSD is compared with AWS without a change (drift correction)
 * @param pollInterval how often the shared poller reads every alarm's state
 * @param maxConcurrentSyncs how many MSDs' AWS work may run at once
 * @param syncWait how long a reconcile waits for its AWS sync before going on with what is known
 */
public record SyncSettings(Duration resyncInterval, Duration pollInterval, int maxConcurrentSyncs, Duration syncWait) {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    public SyncSettings {
        if (maxConcurrentSyncs < 1) {
            throw new IllegalArgumentException(
                    "blueshift.aws.max-concurrent-syncs must be at least 1, got " + maxConcurrentSyncs);
        }
    }

    public static SyncSettings of(AwsConfig config) {
        return new SyncSettings(
                config.resyncInterval(), config.alarmPollInterval(), config.maxConcurrentSyncs(), config.syncWait());
    }

    /** 1s, 2s, 4s ... up to the resync interval. */
    Duration backoff(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(20, Math.max(0, failures - 1));
        return millis >= resyncInterval.toMillis() ? resyncInterval : Duration.ofMillis(millis);
    }
}
