package dev.blueshift.operator.observability;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.ReleaseOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own metrics, on the Quarkus metrics endpoint (/q/metrics):
 * blueshift_releases_total by outcome (promoted, aborted, rolled_back, fast_rollback),
 * blueshift_rollbacks_total by the metric that failed, blueshift_kube_requests_total by kind, and
 * blueshift_msd_phase (the number of MSDs in each phase). Reconciles are counted and timed by the
 * operator SDK itself: reconciliations_started_total, reconciliations_success_total,
 * reconciliations_failure_total and reconciliations_execution_duration_seconds.
 */
@ApplicationScoped
public class OperatorMetrics {
    static final String PHASE = "blueshift_msd_phase";

    private final MeterRegistry registry;
    /**
     * Each MSD's phase, and a count per phase: one series per phase whatever the number of MSDs (a
     * series per MSD cost memory and scrape size in proportion to the fleet; make bench, issue 15).
     */
    private final Map<String, Phase> phases = new ConcurrentHashMap<>();

    private final Map<Phase, AtomicInteger> counts = new EnumMap<>(Phase.class);

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Phase p : Phase.values()) {
            AtomicInteger count = new AtomicInteger();
            counts.put(p, count);
            Gauge.builder(PHASE, count, AtomicInteger::get)
                    .description("Number of MSDs in each phase")
                    .tag("phase", p.name())
                    .register(registry);
        }
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

    /**
     * The MSD is in {@code phase} now. Within one MSD calls come one at a time (the operator SDK
     * never reconciles an MSD twice at once); the counts are exact across MSDs.
     */
    public void phase(MicroserviceDeployment msd, Phase phase) {
        Phase before = phases.put(key(msd), phase);
        if (before != phase) {
            if (before != null) {
                counts.get(before).decrementAndGet();
            }
            counts.get(phase).incrementAndGet();
        }
    }

    /** The MSD is gone: it leaves its phase's count. */
    public void forget(MicroserviceDeployment msd) {
        Phase before = phases.remove(key(msd));
        if (before != null) {
            counts.get(before).decrementAndGet();
        }
    }

    private static String key(MicroserviceDeployment msd) {
        return msd.getMetadata().getNamespace() + "/" + msd.getMetadata().getName();
    }
}
