package dev.blueshift.operator.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * Traces of reconciles, {@code blueshift.tracing.*} (environment: BLUESHIFT_TRACING_*). Off unless
 * an endpoint is set.
 */
@ConfigMapping(prefix = "blueshift.tracing")
public interface TracingConfig {
    /**
     * The OTLP/HTTP endpoint of a collector (its base URL, e.g.
     * {@code http://otel-collector.observability:4318}); spans go to {@code <endpoint>/v1/traces}.
     * The standard {@code OTEL_*} environment variables (headers, sampler, resource attributes)
     * apply on top. Unset: no traces, and no tracing SDK is loaded.
     */
    Optional<String> otlpEndpoint();
}
