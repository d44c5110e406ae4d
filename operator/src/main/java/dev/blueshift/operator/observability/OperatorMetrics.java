package dev.blueshift.operator.observability;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own metrics, on the Quarkus metrics endpoint (/q/metrics):
 * blueshift_reconciles_total and blueshift_reconcile_seconds by strategy and outcome,
 * blueshift_releases_total by outcome (promoted, aborted, rolled_back, fast_rollback),
 * blueshift_rollbacks_total by the metric that failed, blueshift_kube_requests_total by kind, and
 * blueshift_msd_phase (1 for each MSD's current phase).
 */
@ApplicationScoped
public class OperatorMetrics {
    private final MeterRegistry registry;
    /** One number per MSD and phase: 1 for the phase it is in, 0 for the others it has been in. */
    private final Map<String, AtomicInteger> phases = new ConcurrentHashMap<>();

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void reconciled(String strategy, boolean success, Duration took) {
        String outcome = success ? "success" : "error";
        Counter.builder("blueshift_reconciles")
                .description("Reconciles of MicroserviceDeployments")
                .tags("strategy", strategy, "outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("blueshift_reconcile")
                .description("Duration of a reconcile")
                .tags("strategy", strategy, "outcome", outcome)
                .register(registry)
                .record(took);
    }

    /** A release ended or turned: promoted, aborted, rolled_back or fast_rollback. */
    public void release(String outcome) {
        Counter.builder("blueshift_releases")
                .description("Releases by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** An automatic rollback, labelled with the metric whose failure caused it. */
    public void rollback(String metric) {
        Counter.builder("blueshift_rollbacks")
                .description("Automatic rollbacks after failed post-promotion analysis, by failing metric")
                .tag("metric", metric)
                .register(registry)
                .increment();
    }

    /**
     * Requests to the Kubernetes API made while reconciling, by kind: object (apply or delete of an
     * owned object), status, command (removing a consumed annotation), event, get (a cache miss).
     * Reads from the informers' caches cost no request and are not counted.
     */
    public void kubeRequests(String kind, int count) {
        if (count > 0) {
            Counter.builder("blueshift_kube_requests")
                    .description("Requests to the Kubernetes API by kind")
                    .tag("kind", kind)
                    .register(registry)
                    .increment(count);
        }
    }

    public void phase(MicroserviceDeployment msd, Phase phase) {
        String ns = msd.getMetadata().getNamespace();
        String name = msd.getMetadata().getName();
        for (Phase p : Phase.values()) {
            String key = ns + "/" + name + "/" + p;
            AtomicInteger value =
                    p == phase ? phases.computeIfAbsent(key, k -> register(ns, name, p)) : phases.get(key);
            if (value != null) {
                value.set(p == phase ? 1 : 0);
            }
        }
    }

    private AtomicInteger register(String namespace, String name, Phase phase) {
        AtomicInteger value = new AtomicInteger();
        Gauge.builder("blueshift_msd_phase", value, AtomicInteger::get)
                .description("1 for the phase each MSD is in")
                .tags(Tags.of("namespace", namespace, "name", name, "phase", phase.name()))
                .register(registry);
        return value;
    }
}
