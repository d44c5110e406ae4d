package dev.blueshift.operator.observability;

import dev.blueshift.operator.config.TracingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The tracer of reconciles. Without {@code blueshift.tracing.otlp-endpoint} it is OpenTelemetry's
 * no-op tracer, and the SDK, its exporter and its threads are never loaded: the Quarkus extension
 * loaded about 300 classes and instrumented every HTTP request even with its SDK disabled (make
 * bench, issue 15). With an endpoint, the SDK is configured as OpenTelemetry's autoconfiguration
 * does (the {@code OTEL_*} environment), spans exported over OTLP/HTTP.
 */
@Singleton
public class Tracing {
    static final String SERVICE_NAME = "blueshift-operator";

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    public Tracing(TracingConfig config) {
        if (config.otlpEndpoint().isEmpty()) {
            sdk = null;
            tracer = OpenTelemetry.noop().getTracer(SERVICE_NAME);
            return;
        }
        sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", SERVICE_NAME,
                        "otel.traces.exporter", "otlp",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.exporter.otlp.endpoint", config.otlpEndpoint().get()))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        tracer = sdk.getTracer(SERVICE_NAME);
    }

    @Produces
    @Singleton
    Tracer tracer() {
        return tracer;
    }

    @PreDestroy
    void close() {
        if (sdk != null) {
            sdk.close();
        }
    }
}
