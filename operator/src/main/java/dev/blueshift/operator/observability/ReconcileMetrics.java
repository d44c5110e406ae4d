package dev.blueshift.operator.observability;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's reconcile metrics (reconciliations_started_total, _success_total,
 * _failure_total, _execution_duration_seconds, by controller_name), built on the application's
 * registry when the SDK asks for them.
 *
 * <p>The Quarkus extension's own {@code Metrics} (a {@code MeterBinder}) has them only once Quarkus
 * binds it, at the very end of start-up in the packaged application, after the operator has already
 * taken them: it got the no-op metrics and /q/metrics had no reconciliations_* series (under
 * {@code @QuarkusTest} the order happened to differ). A registry that gains the Prometheus registry
 * later still passes every meter to it, so building them early loses nothing.
 */
@Singleton
public class ReconcileMetrics {
    @Produces
    @Singleton
    Metrics reconcileMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }
}
