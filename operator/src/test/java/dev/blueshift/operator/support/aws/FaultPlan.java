package dev.blueshift.operator.support.aws;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the {@link AwsEmulatorProxy} injects on the way to the emulator: throttling, 5xx answers,
 * AccessDenied and slow answers, for a service ("iam", "monitoring", "sts") and an operation, a number of times
 * or until cleared. The operator sees them exactly as it would see them from AWS.
 */
public final class FaultPlan {
    public static final int UNTIL_CLEARED = -1;
    public static final String ANY = "*";

    public enum Kind {
        THROTTLE,
        SERVER_ERROR,
        SLOW,
        ACCESS_DENIED
    }

    public record Rule(String service, String operation, Kind kind, AtomicInteger remaining, Duration delay) {
        boolean matches(String s, String op) {
            return (ANY.equals(service) || service.equals(s)) && (ANY.equals(operation) || operation.equals(op));
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    public FaultPlan throttle(String service, String operation, int times) {
        rules.add(new Rule(service, operation, Kind.THROTTLE, new AtomicInteger(times), Duration.ZERO));
        return this;
    }

    public FaultPlan serverError(String service, String operation, int times) {
        rules.add(new Rule(service, operation, Kind.SERVER_ERROR, new AtomicInteger(times), Duration.ZERO));
        return this;
    }

    /** AWS refusing the operator's credentials the call: 403 AccessDenied, as a missing IAM permission gives. */
    public FaultPlan accessDenied(String service, String operation, int times) {
        rules.add(new Rule(service, operation, Kind.ACCESS_DENIED, new AtomicInteger(times), Duration.ZERO));
        return this;
    }

    /**
     * Lets the emulator do the work, then answers late: past the SDK's attempt timeout the answer is
     * lost and the call retried, though its first attempt took effect.
     */
    public FaultPlan slow(String service, String operation, Duration delay, int times) {
        rules.add(new Rule(service, operation, Kind.SLOW, new AtomicInteger(times), delay));
        return this;
    }

    public void clear() {
        rules.clear();
    }

    /** The fault for this request, if one is due (each use counts down its rule). */
    Optional<Rule> take(String service, String operation) {
        for (Rule rule : rules) {
            if (!rule.matches(service, operation)) {
                continue;
            }
            int left = rule.remaining().get();
            if (left == UNTIL_CLEARED) {
                return Optional.of(rule);
            }
            while (left > 0) {
                if (rule.remaining().compareAndSet(left, left - 1)) {
                    return Optional.of(rule);
                }
                left = rule.remaining().get();
            }
        }
        return Optional.empty();
    }
}
