package dev.blueshift.operator.aws;

import java.time.Duration;
import java.util.Optional;

/** Whether an MSD's AWS resources are gone (or retained), so that its finalizer can go. */
public record CleanupOutcome(boolean done, Optional<Duration> retryAfter, String message) {
    public static CleanupOutcome finished(String message) {
        return new CleanupOutcome(true, Optional.empty(), message);
    }

    public static CleanupOutcome retry(Duration after, String message) {
        return new CleanupOutcome(false, Optional.of(after), message);
    }
}
