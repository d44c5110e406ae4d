package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.observability.OperatorMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Supplier;

/** A reconcile as a trace span (namespace, MSD, strategy; the exception if it failed), timed and counted. */
@Singleton
class ReconcileTracing {
    private final Tracer tracer;
    private final OperatorMetrics metrics;

    ReconcileTracing(Tracer tracer, OperatorMetrics metrics) {
        this.tracer = tracer;
        this.metrics = metrics;
    }

    <T> T traced(MicroserviceDeployment msd, Supplier<T> reconcile) {
        String strategy = msd.getSpec().getStrategy().getType().name();
        Span span = tracer.spanBuilder("reconcile MicroserviceDeployment")
                .setAttribute("k8s.namespace.name", msd.getMetadata().getNamespace())
                .setAttribute("blueshift.msd", msd.getMetadata().getName())
                .setAttribute("blueshift.strategy", strategy)
                .startSpan();
        long start = System.nanoTime();
        boolean success = false;
        try (Scope ignored = span.makeCurrent()) {
            T result = reconcile.get();
            success = true;
            return result;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
            metrics.reconciled(strategy, success, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
