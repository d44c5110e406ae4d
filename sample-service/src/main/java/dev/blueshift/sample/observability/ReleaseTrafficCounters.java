package dev.blueshift.sample.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts API requests and server errors (5xx): the numbers the operator's error-rate alarms and
 * analysis judge a release by. In Prometheus as blueshift_requests_total and
 * blueshift_errors_total; in CloudWatch, when enabled, as Requests and Errors.
 */
@ApplicationScoped
public class ReleaseTrafficCounters {
    public static final String CLOUDWATCH_REQUESTS = "Requests";
    public static final String CLOUDWATCH_ERRORS = "Errors";

    private final List<Counter> requests = new ArrayList<>();
    private final List<Counter> errors = new ArrayList<>();

    public ReleaseTrafficCounters(MeterRegistry registry, CloudWatchPublishing cloudWatch) {
        requests.add(Counter.builder("blueshift.requests")
                .description("API requests answered")
                .register(registry));
        errors.add(Counter.builder("blueshift.errors")
                .description("API requests answered with a 5xx status")
                .register(registry));
        cloudWatch.registry().ifPresent(cw -> {
            requests.add(Counter.builder(CLOUDWATCH_REQUESTS).register(cw));
            errors.add(Counter.builder(CLOUDWATCH_ERRORS).register(cw));
        });
    }

    public void answered(int status) {
        requests.forEach(Counter::increment);
        if (status >= 500) {
            errors.forEach(Counter::increment);
        }
    }
}
