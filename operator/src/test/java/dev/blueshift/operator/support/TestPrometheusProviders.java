package dev.blueshift.operator.support;

import dev.blueshift.operator.analysis.PrometheusAddresses;
import dev.blueshift.operator.analysis.PrometheusProvider;
import java.time.Duration;

/** Prometheus providers for tests that query outside the operator (its own settings live in its process). */
public final class TestPrometheusProviders {
    private TestPrometheusProviders() {}

    /** Queries only {@code address}, 5 s and 1 MiB at most, never signed (a SigV4 metric is an error). */
    public static PrometheusProvider unsigned(String address) {
        return new PrometheusProvider(PrometheusAddresses.only(address), Duration.ofSeconds(5), 1 << 20, () -> {
            throw new IllegalStateException("this test's Prometheus queries are not signed");
        });
    }
}
