package dev.blueshift.operator.aws;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether an MSD's AWS resources are gone (or retained), so that its finalizer can go; if not, why
 * ({@code reason}: AWS's error code, AwsUnavailable, AwsBusy) and when to try again.
 */
public record CleanupOutcome(boolean done, Optional<Duration> retryAfter, String reason, String message) {
    public static CleanupOutcome finished(String message) {
        return new CleanupOutcome(true, Optional.empty(), "Deleted", message);
    }

    public static CleanupOutcome retry(Duration after, String reason, String message) {
        return new CleanupOutcome(false, Optional.of(after), reason, message);
    }
}
