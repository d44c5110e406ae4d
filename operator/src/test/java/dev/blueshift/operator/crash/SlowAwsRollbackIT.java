package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.analysis.AnalysisTarget;
import dev.blueshift.operator.analysis.Measurement;
import dev.blueshift.operator.analysis.PrometheusProvider;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.Analysis;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisStage;
import dev.blueshift.operator.api.v1alpha1.spec.AutoPromotion;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.PrometheusServer;
import dev.blueshift.operator.support.ScrapeTarget;
import dev.blueshift.operator.support.TestPrometheusProviders;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsMsds;
import dev.blueshift.operator.support.aws.FaultPlan;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A slow AWS must not delay a rollback. MSDs with an IAM role and alarms (so their AWS resyncs
 * keep coming, every 3 s here, with fewer AWS permits than MSDs) bake a release under
 * post-promotion analysis by Prometheus; then every AWS answer takes 20 s (the fault-injecting
 * proxy), and each release in turn goes bad. Prints, per rollback, the time from the breach being
 * visible in Prometheus to the active Service back on the stable revision, against the target of
 * the analysis interval + 1 s; fails only if a rollback waited for AWS (longer than half the
 * injected latency), as a timing bound tight enough for the target would be flaky on a shared machine.
 */
@Tag("process")
@KwokOnly
class SlowAwsRollbackIT {
    private static final int MSDS = 3;
    private static final Duration AWS_LATENCY = Duration.ofSeconds(20);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String LOG = "[slow-aws] ";

    @Test
    void aTwentySecondAwsNeverDelaysARollback() throws Exception {
        String prometheus = PrometheusServer.ensure();
        FaultPlan faults = AwsEmulator.proxy().faults();
        try (CrashCluster cluster = new CrashCluster("bs-slowaws");
                ScrapeTarget target = new ScrapeTarget(
                        cluster.namespace,
                        () ->
                                cluster
                                        .client
                                        .apps()
                                        .replicaSets()
                                        .inNamespace(cluster.namespace)
                                        .list()
                                        .getItems()
                                        .stream()
                                        .map(rs -> rs.getMetadata().getLabels().get("blueshift.dev/revision"))
                                        .filter(Objects::nonNull)
                                        .toList())) {
            Map<String, String> settings = new java.util.HashMap<>(cluster.operatorSettings());
            settings.put("blueshift.analysis.allowed-prometheus-addresses", prometheus);
            settings.put("blueshift.aws.max-concurrent-syncs", "2");
            AnalysisMetric metric = errorRate(prometheus);
            Map<String, Instant> selectorMoves = new ConcurrentHashMap<>();
            List<Long> breachToSwitch = new ArrayList<>();
            PrometheusProvider provider = TestPrometheusProviders.unsigned(prometheus);
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
            try (OperatorProcess operator = new OperatorProcess("slowaws-" + cluster.namespace, settings);
                    Watch watch = cluster.client
                            .services()
                            .inNamespace(cluster.namespace)
                            .watch(new Watcher<Service>() {
                                @Override
                                public void eventReceived(Action action, Service service) {
                                    String selected = service.getSpec().getSelector() == null
                                            ? null
                                            : service.getSpec().getSelector().get("blueshift.dev/revision");
                                    selectorMoves.putIfAbsent(
                                            service.getMetadata().getName() + "/"
                                                    + service.getMetadata().getResourceVersion() + "/" + selected,
                                            Instant.now());
                                }

                                @Override
                                public void onClose(WatcherException cause) {}
                            })) {
                operator.start();
                Map<String, String> stable = new java.util.TreeMap<>();
                for (int i = 0; i < MSDS; i++) {
                    cluster.client
                            .resource(cluster.claim(msd(cluster.namespace, "s" + i, metric)))
                            .create();
                }
                for (int i = 0; i < MSDS; i++) {
                    String name = "s" + i;
                    stable.put(
                            name,
                            awaitStatus(
                                            cluster,
                                            name,
                                            "first release",
                                            s -> s.getPhase() == Phase.Healthy
                                                    && s.getAws() != null
                                                    && s.getAws().getRoleArn() != null)
                                    .getStatus()
                                    .getStableRevision());
                    cluster.client
                            .resources(MicroserviceDeployment.class)
                            .inNamespace(cluster.namespace)
                            .withName(name)
                            .edit(m -> {
                                Msds.setImage(m, "registry.example/" + name + ":2");
                                return m;
                            });
                }
                Map<String, String> candidates = new java.util.TreeMap<>();
                for (int i = 0; i < MSDS; i++) {
                    String name = "s" + i;
                    String old = stable.get(name);
                    candidates.put(
                            name,
                            awaitStatus(
                                            cluster,
                                            name,
                                            "baking with a passing measurement",
                                            s -> s.getAnalysis() != null
                                                    && "PostPromotion"
                                                            .equals(s.getAnalysis()
                                                                    .getStage())
                                                    && s.getActiveRevision() != null
                                                    && !old.equals(s.getActiveRevision())
                                                    && "Passed"
                                                            .equals(s.getAnalysis()
                                                                    .getMetrics()
                                                                    .get(0)
                                                                    .getVerdict()))
                                    .getStatus()
                                    .getActiveRevision());
                }

                faults.slow(FaultPlan.ANY, FaultPlan.ANY, AWS_LATENCY, FaultPlan.UNTIL_CLEARED);
                // Let resyncs run into the slow AWS and hold what they hold.
                Thread.sleep(5000);
                for (int i = 0; i < MSDS; i++) {
                    String name = "s" + i;
                    String candidate = candidates.get(name);
                    String back = stable.get(name);
                    AnalysisTarget analysed = new AnalysisTarget(cluster.namespace, name, candidate);
                    AtomicReference<Instant> visible = new AtomicReference<>();
                    var polling = poller.scheduleWithFixedDelay(
                            () -> {
                                if (visible.get() == null
                                        && provider.measure(metric, analysed).outcome() == Measurement.Outcome.Failed) {
                                    visible.set(Instant.now());
                                }
                            },
                            0,
                            20,
                            TimeUnit.MILLISECONDS);
                    target.errorRate(candidate, 0.5);
                    try {
                        awaitStatus(cluster, name, "rollback", s -> s.getPhase() == Phase.RolledBack);
                    } catch (ConditionTimeoutException e) {
                        throw new AssertionError(
                                name + " was not rolled back; status "
                                        + Serialization.asJson(cluster.client
                                                .resources(MicroserviceDeployment.class)
                                                .inNamespace(cluster.namespace)
                                                .withName(name)
                                                .get()
                                                .getStatus()),
                                e);
                    } finally {
                        polling.cancel(false);
                    }
                    Instant seen = await().atMost(TIMEOUT).until(visible::get, Objects::nonNull);
                    Instant switched = await().atMost(TIMEOUT)
                            .until(
                                    () -> selectorMoves.entrySet().stream()
                                            .filter(e -> e.getKey().startsWith(name + "/")
                                                    && e.getKey().endsWith("/" + back)
                                                    && !e.getValue().isBefore(seen))
                                            .map(Map.Entry::getValue)
                                            .min(Instant::compareTo)
                                            .orElse(null),
                                    Objects::nonNull);
                    long millis = Duration.between(seen, switched).toMillis();
                    breachToSwitch.add(millis);
                    System.out.println(LOG + name + ": breach visible -> active Service back on " + back + " in "
                            + millis + " ms (target " + INTERVAL.plusSeconds(1).toMillis()
                            + " ms), AWS answering after " + AWS_LATENCY.toSeconds() + " s");
                }
                long slowAwsCalls = AwsEmulator.proxy().calls().stream()
                        .filter(c -> c.fault() != null && c.fault().startsWith("SLOW"))
                        .count();
                System.out.println(LOG + "rollbacks " + breachToSwitch.size() + ", breach-to-switch ms "
                        + breachToSwitch + ", max "
                        + breachToSwitch.stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElse(0) + " (target interval + 1 s = "
                        + INTERVAL.plusSeconds(1).toMillis() + "), slow AWS answers injected " + slowAwsCalls);
                faults.clear();
                assertThat(breachToSwitch)
                        .hasSize(MSDS)
                        .allSatisfy(ms -> assertThat(ms)
                                .as("breach to switch, ms (a rollback waited for AWS)")
                                .isLessThan(AWS_LATENCY.toMillis() / 2));
                // Leave nothing in AWS: delete while the operator runs and AWS answers again.
                cluster.client
                        .resources(MicroserviceDeployment.class)
                        .inNamespace(cluster.namespace)
                        .delete();
                await().atMost(TIMEOUT)
                        .until(() -> cluster.client
                                .resources(MicroserviceDeployment.class)
                                .inNamespace(cluster.namespace)
                                .list()
                                .getItems()
                                .isEmpty());
            } finally {
                faults.clear();
                poller.shutdownNow();
            }
        }
    }

    private static MicroserviceDeployment msd(String namespace, String name, AnalysisMetric metric) {
        MicroserviceDeployment msd = Msds.blueGreen(namespace, name, 1, "registry.example/" + name + ":1");
        msd.getSpec().setAws(AwsMsds.withRoleAndAlarm(namespace, name).getSpec().getAws());
        AutoPromotion auto = new AutoPromotion();
        auto.setEnabled(true);
        auto.setAfterSeconds(0);
        msd.getSpec().getStrategy().getBlueGreen().setAutoPromotion(auto);
        Analysis analysis = new Analysis();
        analysis.setInterval(INTERVAL.toSeconds() + "s");
        analysis.setPostPromotion(new AnalysisStage("10m"));
        analysis.setMetrics(List.of(metric));
        msd.getSpec().setAnalysis(analysis);
        return msd;
    }

    private static AnalysisMetric errorRate(String address) {
        PrometheusMetric prometheus = new PrometheusMetric();
        prometheus.setAddress(address);
        prometheus.setQuery(ScrapeTarget.ERROR_RATE_QUERY);
        prometheus.setThreshold(0.1);
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("error-rate");
        metric.setPrometheus(prometheus);
        return metric;
    }

    private static MicroserviceDeployment awaitStatus(
            CrashCluster cluster, String name, String what, Predicate<MicroserviceDeploymentStatus> ok) {
        return await(name + ": " + what)
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> cluster.client
                                .resources(MicroserviceDeployment.class)
                                .inNamespace(cluster.namespace)
                                .withName(name)
                                .get(),
                        m -> m != null && m.getStatus() != null && ok.test(m.getStatus()));
    }
}
