package dev.blueshift.operator.observability;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.ReleaseOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own metrics, on the Quarkus metrics endpoint (/q/metrics):
 * blueshift_releases_total by outcome (promoted, aborted, rolled_back, fast_rollback),
 * blueshift_rollbacks_total by the metric that failed, blueshift_kube_requests_total by kind, and
 * blueshift_msd_phase (1 for each MSD's current phase). Reconciles are counted and timed by the
 * operator SDK itself: reconciliations_started_total, reconciliations_success_total,
 * reconciliations_failure_total and reconciliations_execution_duration_seconds.
 */
@ApplicationScoped
public class OperatorMetrics {
    static final String PHASE = "blueshift_msd_phase";

    private final MeterRegistry registry;
    /** One number per MSD and phase: 1 for the phase it is in, 0 for the others it has been in. */
    private final Map<String, AtomicInteger> phases = new ConcurrentHashMap<>();

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A release ended or turned. */
    public void release(ReleaseOutcome outcome) {
        Counter.builder("blueshift_releases")
                .description("Releases by outcome")
                .tag("outcome", outcome.label())
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
            String key = key(ns, name, p);
            AtomicInteger value =
                    p == phase ? phases.computeIfAbsent(key, k -> register(ns, name, p)) : phases.get(key);
            if (value != null) {
                value.set(p == phase ? 1 : 0);
            }
        }
    }

    /** The MSD is gone: its phase series go too, so that a deleted MSD leaves no series behind. */
    public void forget(MicroserviceDeployment msd) {
        String ns = msd.getMetadata().getNamespace();
        String name = msd.getMetadata().getName();
        for (Phase p : Phase.values()) {
            if (phases.remove(key(ns, name, p)) != null) {
                registry.find(PHASE).tags(tags(ns, name, p)).meters().forEach(registry::remove);
            }
        }
    }

    private static String key(String namespace, String name, Phase phase) {
        return namespace + "/" + name + "/" + phase;
    }

    private static Tags tags(String namespace, String name, Phase phase) {
        return Tags.of("namespace", namespace, "name", name, "phase", phase.name());
    }

    private AtomicInteger register(String namespace, String name, Phase phase) {
        AtomicInteger value = new AtomicInteger();
        Gauge.builder(PHASE, value, AtomicInteger::get)
                .description("1 for the phase each MSD is in")
                .tags(tags(namespace, name, phase))
                .register(registry);
        return value;
    }
}
