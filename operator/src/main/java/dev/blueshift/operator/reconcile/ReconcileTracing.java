package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * A reconcile as a trace span (namespace, MSD, strategy; the exception if it failed). The operator
 * SDK counts and times reconciles (reconciliations_* on /q/metrics).
 */
@Singleton
class ReconcileTracing {
    private final Tracer tracer;

    ReconcileTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    <T> T traced(MicroserviceDeployment msd, Supplier<T> reconcile) {
        Span span = tracer.spanBuilder("reconcile MicroserviceDeployment")
                .setAttribute("k8s.namespace.name", msd.getMetadata().getNamespace())
                .setAttribute("blueshift.msd", msd.getMetadata().getName())
                .setAttribute(
                        "blueshift.strategy",
                        msd.getSpec().getStrategy().getType().name())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return reconcile.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }
}
