package dev.blueshift.operator.benchmark;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.AutoPromotion;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.crash.CrashCluster;
import dev.blueshift.operator.crash.OperatorProcess;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.RepoPaths;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsMsds;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's fleet benchmark: the packaged operator as its own process, with the chart's JVM
 * ({@link ChartJvm}), against a control plane sized for it ({@code BLUESHIFT_CLUSTER_SIZE=bench})
 * and the AWS emulator. N BlueGreen MSDs of 1 replica with auto-promotion are created at once, then
 * all released at once, then left alone for a steady-state window; then the operator is restarted
 * with them present. It measures times, the operator's RSS and heap, reconciles, the API server's
 * requests by verb and resource, the operator's own requests and the AWS calls by operation, and
 * writes {@code target/bench/fleet-<N>-<label>.{md,json}} with the machine and the issue's targets
 * met or missed. A benchmark, not a test: {@code make bench}; excluded from {@code make test}. It
 * asserts nothing but that the fleet gets there.
 *
 * <p>Settings (system properties): {@code blueshift.bench.msds} (N, 100), {@code .aws-msds} (how
 * many of them also get an IAM role and an alarm, 10), {@code .steady-seconds} (300),
 * {@code .jvm-flags} (appended to the chart's, for the memory study), {@code .label},
 * {@code .memory-study} (NMT on, a class histogram and an NMT summary at the end), {@code .repeat}
 * (runs, 1: the report holds the median of each figure, and each run).
 */
@Tag("benchmark")
class FleetBenchmark {
    private static final int N = Integer.getInteger("blueshift.bench.msds", 100);
    private static final int AWS_MSDS = Math.min(N, Integer.getInteger("blueshift.bench.aws-msds", 10));
    private static final long STEADY_SECONDS = Long.getLong("blueshift.bench.steady-seconds", 300);
    private static final List<String> EXTRA_FLAGS = Arrays.stream(
                    System.getProperty("blueshift.bench.jvm-flags", "").trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .toList();
    /** The operator SDK's count of reconciles (its Micrometer metrics; 0 where the operator does not expose them). */
    private static final String RECONCILES_METRIC = "reconciliations_started_total";

    private static final String PHASE_METRIC = "blueshift_msd_phase";
    private static final String OPERATOR_REQUESTS_METRIC = "blueshift_kube_requests_total";
    private static final String LABEL = System.getProperty("blueshift.bench.label", "chart");
    private static final int REPEAT = Math.max(1, Integer.getInteger("blueshift.bench.repeat", 1));
    private static final boolean STUDY = Boolean.getBoolean("blueshift.bench.memory-study");
    /** The operator's default (AwsConfig), which the chart keeps. */
    private static final Duration ALARM_POLL = Duration.ofSeconds(30);

    private static final Duration WAIT = Duration.ofMinutes(Math.max(10, N / 25));
    private static final Set<String> WRITE_VERBS =
            Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION");
    /** The issue's Go controller figures (Argo Rollouts v1.10.2): create -> Healthy, release -> stable, in s. */
    private static final Map<Integer, double[]> GO_FIGURES =
            Map.of(100, new double[] {23.9, 23.2}, 1000, new double[] {236.8, 286.1});

    private final HttpClient http = HttpClient.newHttpClient();
    /** The report of the run going on; at the end, the medians over the runs. */
    private Map<String, Object> report = new LinkedHashMap<>();

    private final List<String[]> summary = new ArrayList<>();
    private int port;
    private final List<String> exits = java.util.Collections.synchronizedList(new ArrayList<>());
    private OperatorProcess operator;

    @Test
    @SuppressWarnings("unchecked")
    void fleet() throws Exception {
        Path out = RepoPaths.root().resolve("operator/target/bench");
        Files.createDirectories(out);
        ChartJvm chart = ChartJvm.read();
        List<String> flags = new ArrayList<>(EXTRA_FLAGS);
        if (STUDY) {
            flags.add("-XX:NativeMemoryTracking=summary");
        }
        List<String> jvmFlags = chart.processFlags(flags);
        log("N=%d (%d with AWS), JVM %s, environment %s", N, AWS_MSDS, String.join(" ", jvmFlags), chart.environment);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int i = 1; i <= REPEAT; i++) {
            log("run %d of %d", i, REPEAT);
            report = new LinkedHashMap<>();
            report.put("n", N);
            report.put("awsMsds", AWS_MSDS);
            report.put("label", LABEL);
            report.put("machine", machine());
            report.put(
                    "jvm",
                    Map.of("chartMemoryLimit", chart.memoryLimit, "flags", jvmFlags, "environment", chart.environment));
            try (CrashCluster cluster = new CrashCluster(awaitEarlierFleetsGone())) {
                try {
                    run(cluster, jvmFlags, chart.environment, out);
                } finally {
                    // before the namespace goes: a running operator would put its finalizers back
                    if (operator != null) {
                        operator.close();
                    }
                }
            }
            runs.add(report);
        }
        Map<String, Object> first = runs.get(0);
        report = Medians.of(runs);
        report.put("machine", first.get("machine"));
        report.put("repetitions", REPEAT);
        Map<String, Object> failed = new TreeMap<>();
        runs.forEach(r -> failed.putAll((Map<String, Object>) r.get("failedPhaseSeen")));
        report.put("failedPhaseSeen", failed);
        if (REPEAT > 1) {
            report.put("runs", runs);
        }
        write(out);
    }

    private void run(CrashCluster cluster, List<String> jvmFlags, Map<String, String> environment, Path out)
            throws Exception {
        checkCapacity(cluster);
        report.put("versions", versions(cluster));
        Map<String, String> settings = new TreeMap<>(cluster.operatorSettings());
        // the chart's AWS timing (the operator's defaults), not the suites' short ones
        for (String key : List.of(
                "max-concurrent-syncs",
                "resync-interval",
                "max-attempts",
                "retry-base-delay",
                "retry-max-backoff",
                "api-call-timeout",
                "api-call-attempt-timeout")) {
            settings.remove("blueshift.aws." + key);
        }
        settings.put("blueshift.aws.alarm-poll-interval", ALARM_POLL.toSeconds() + "s");
        port = freePort();
        settings.put("quarkus.http.port", Integer.toString(port));
        AwsEmulatorProxy aws = AwsEmulator.proxy();
        // Generous timeouts and retries: on a busy 2-core machine the API server answers slowly,
        // and the benchmark's own client must not be what fails.
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(cluster.client.getConfiguration())
                        .withConnectionTimeout(60_000)
                        .withRequestTimeout(60_000)
                        .withRequestRetryBackoffLimit(10)
                        .build())
                .build();
        var msds = client.resources(MicroserviceDeployment.class).inNamespace(cluster.namespace);

        operator = new OperatorProcess("fleet-" + cluster.namespace, settings, jvmFlags, environment);
        Instant started = Instant.now();
        operator.start();
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(operator::reconciling);
        Prom ready = await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(this::operatorMetrics, p -> p != null);
        report.put("emptyStartSeconds", seconds(started, Instant.now()));
        Thread.sleep(15_000);
        Map<String, Object> idle = memory();
        report.put("idle", idle);
        log("idle: %s", idle);

        MemorySampler sampler = new MemorySampler(operator.pid());
        // ---- create N at once
        Snapshot before = snapshot(client, aws);
        ExecutorService writers = Executors.newFixedThreadPool(8);
        Map<String, String> failed = new ConcurrentHashMap<>();
        Instant createStart = Instant.now();
        forEach(
                writers,
                i -> retried(() -> {
                    try {
                        client.resource(cluster.claim(msd(cluster.namespace, i)))
                                .create();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) { // 409: made by an attempt that timed out on our side
                            throw e;
                        }
                    }
                }));
        double createsSeconds = seconds(createStart, Instant.now());
        awaitAll(msds, failed, m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Healthy);
        double healthySeconds = seconds(createStart, Instant.now());
        Snapshot afterCreate = snapshot(client, aws);
        Map<String, Object> create = phase("create", before, afterCreate, healthySeconds);
        create.put("createRequestsSeconds", createsSeconds);
        create.put("memoryPeakDuring", sampler.peak());
        Thread.sleep(10_000);
        create.put("memoryAfter", memory());
        report.put("create", create);
        log("create -> all Healthy %.1f s; %s", healthySeconds, create);

        // ---- release N at once
        sampler.reset();
        Instant releaseStart = Instant.now();
        forEach(
                writers,
                i -> retried(() -> msds.withName(name(i)).edit(m -> {
                    Msds.setImage(m, "bench:1");
                    return m;
                })));
        awaitAll(msds, failed, FleetBenchmark::releasedAndStable);
        double stableSeconds = seconds(releaseStart, Instant.now());
        Snapshot afterRelease = snapshot(client, aws);
        Map<String, Object> release = phase("release", afterCreate, afterRelease, stableSeconds);
        release.put("memoryPeakDuring", sampler.peak());
        writers.shutdown();
        release.put("memoryAfter", memory());
        report.put("release", release);
        log("release -> all stable %.1f s; %s", stableSeconds, release);

        // ---- the old revisions' scale-down delays pass and their last status is written: then steady
        double quiesced = settle(Duration.ofSeconds(30), Duration.ofMinutes(10));
        release.put("secondsUntilOperatorQuiet", quiesced);
        log("the operator made no request for 30 s after %.1f s", quiesced);

        // ---- steady state
        Snapshot steadyStart = snapshot(client, aws);
        log("steady state: %d s", STEADY_SECONDS);
        Thread.sleep(STEADY_SECONDS * 1000);
        Snapshot steadyEnd = snapshot(client, aws);
        Map<String, Object> steady = phase("steady", steadyStart, steadyEnd, STEADY_SECONDS);
        double describes = steadyEnd.aws.entrySet().stream()
                .filter(e -> e.getKey().endsWith(":DescribeAlarms"))
                .mapToDouble(e -> e.getValue() - steadyStart.aws.getOrDefault(e.getKey(), 0.0))
                .sum();
        steady.put("describeAlarmsPerPollInterval", describes / (STEADY_SECONDS / (double) ALARM_POLL.toSeconds()));
        steady.put("alarmPollInterval", ALARM_POLL.toString());
        steady.put("memoryAfter", memory());
        report.put("steady", steady);
        log("steady: %s", steady);
        report.put("memoryPeakRss", sampler.peakEver());

        if (STUDY) {
            report.put("memoryStudy", memoryStudy(out));
        }

        // ---- restart with N present
        long hwm = MemorySampler.status(operator.pid(), "VmHWM");
        report.put("vmHwmBeforeRestartBytes", hwm);
        operator.kill();
        Instant restart = Instant.now();
        operator.start();
        // JOSDK starts event processing once the informers have synced: all N are in its caches.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(operator::reconciling);
        double allObserved = seconds(restart, Instant.now());
        // Every reconcile records its MSD's phase (blueshift_msd_phase counts each MSD once): the
        // sum is the number of MSDs reconciled since the start.
        double firstReconcile = untilReconciled(restart, 1);
        double allReconciled = untilReconciled(restart, N);
        Thread.sleep(10_000);
        Map<String, Object> restarted = new LinkedHashMap<>();
        restarted.put("startToAllObservedSeconds", allObserved);
        restarted.put("startToFirstReconcileSeconds", firstReconcile);
        restarted.put("startToAllReconciledSeconds", allReconciled);
        restarted.put("memoryAfter", memory());
        report.put("restartWithN", restarted);
        log(
                "restart with N: all %d observed (informers synced) %.1f s, first reconcile %.1f s, all reconciled %.1f s",
                N, allObserved, firstReconcile, allReconciled);
        report.put("failedPhaseSeen", failed);
        report.put("rollback", rollback(out));
        report.put(
                "machineEnd", Map.of("loadavg", loadavg(), "at", Instant.now().toString()));
    }

    // ---------------------------------------------------------------- phases and snapshots

    private record Snapshot(
            Instant at,
            Map<String, Double> api,
            Map<String, Double> ops,
            double reconciles,
            Map<String, Double> aws,
            double awsWrites) {}

    /**
     * An operator that exited (it exits when it loses its Lease, which a loaded machine can make it
     * do) is counted and started again, as a Pod's container would be.
     */
    private void ensureRunning() {
        if (!operator.alive()) {
            exits.add(Instant.now().toString());
            log("the operator exited (%d so far, see %s): starting it again", exits.size(), operator.log());
            operator.start();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(operator::reconciling);
        }
    }

    private Snapshot snapshot(KubernetesClient client, AwsEmulatorProxy aws) {
        ensureRunning();
        Prom api = Prom.parse(client.raw("/metrics"));
        Prom op = await().atMost(Duration.ofMinutes(1)).until(this::operatorMetrics, p -> p != null);
        Map<String, Double> calls = new TreeMap<>();
        AwsEmulatorProxy.count(aws.calls()).forEach((k, v) -> calls.put(k, v.doubleValue()));
        double writes = calls.entrySet().stream()
                .filter(e -> !isAwsRead(e.getKey()))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        return new Snapshot(
                Instant.now(),
                api.by(
                        "apiserver_request_total",
                        l -> l.get("verb") + " " + l.get("resource")
                                + (l.getOrDefault("subresource", "").isEmpty() ? "" : "/" + l.get("subresource"))),
                op.by("blueshift_kube_requests_total", l -> l.get("kind")),
                op.sum(RECONCILES_METRIC),
                calls,
                writes);
    }

    private static boolean isAwsRead(String serviceOperation) {
        String op = serviceOperation.substring(serviceOperation.indexOf(':') + 1);
        return op.startsWith("Get") || op.startsWith("List") || op.startsWith("Describe");
    }

    private Map<String, Object> phase(String name, Snapshot a, Snapshot b, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        Map<String, Double> api = Prom.delta(a.api, b.api);
        double total = api.values().stream().mapToDouble(Double::doubleValue).sum();
        double writes = api.entrySet().stream()
                .filter(e -> WRITE_VERBS.contains(e.getKey().split(" ")[0]))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        double leaseWrites = api.entrySet().stream()
                .filter(e -> WRITE_VERBS.contains(e.getKey().split(" ")[0])
                        && e.getKey().contains("leases"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        m.put("apiRequestsAllClients", total);
        m.put("apiWritesAllClients", writes);
        m.put("apiLeaseWritesAllClients", leaseWrites);
        m.put("apiRequestsPerMsd", total / N);
        m.put("apiByVerbResource", top(api, 25));
        // The operator's writes as the API server counted them: server-side applies (no other client
        // here applies) and writes to what only it writes (MSDs' status, Services, ServiceAccounts,
        // ReplicaSets but their status). The benchmark's own MSD edits are PATCH microservicedeployments.
        m.put(
                "operatorWritesSeenByApiServer",
                api.entrySet().stream()
                        .filter(e -> isOperatorWrite(e.getKey()))
                        .mapToDouble(Map.Entry::getValue)
                        .sum());
        Map<String, Double> ops = Prom.delta(a.ops, b.ops);
        m.put("operatorRequestsByKind", ops);
        m.put(
                "operatorWrites",
                ops.entrySet().stream()
                        .filter(e -> !"get".equals(e.getKey()))
                        .mapToDouble(Map.Entry::getValue)
                        .sum());
        m.put(
                "operatorRequestsPerMsd",
                ops.values().stream().mapToDouble(Double::doubleValue).sum() / N);
        double reconciles = b.reconciles - a.reconciles;
        m.put("reconciles", reconciles);
        m.put("reconcilesPerSecond", reconciles / Math.max(0.001, seconds));
        m.put("reconcilesPerMsd", reconciles / N);
        m.put("awsCalls", Prom.delta(a.aws, b.aws));
        m.put("awsWrites", b.awsWrites - a.awsWrites);
        return m;
    }

    private static boolean isOperatorWrite(String verbResource) {
        String[] vr = verbResource.split(" ", 2);
        if (!WRITE_VERBS.contains(vr[0])) {
            return false;
        }
        return "APPLY".equals(vr[0])
                || Set.of("microservicedeployments/status", "services", "serviceaccounts", "replicasets")
                        .contains(vr[1]);
    }

    private static Map<String, Double> top(Map<String, Double> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(n)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, LinkedHashMap::new));
    }

    /** Seconds from {@code start} until {@code count} MSDs have been reconciled; -1 if not within WAIT. */
    private double untilReconciled(Instant start, int count) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                Prom p = operatorMetrics();
                return p != null && p.sum(PHASE_METRIC) >= count;
            });
            return seconds(start, Instant.now());
        } catch (ConditionTimeoutException e) {
            return -1;
        }
    }

    /**
     * Waits until the operator has made no Kubernetes request for {@code quiet}, for {@code most} at
     * most (an operator that keeps writing shows it in the steady-state figures); returns the seconds waited.
     */
    private double settle(Duration quiet, Duration most) throws InterruptedException {
        Instant start = Instant.now();
        double last = -1;
        Instant since = Instant.now();
        Instant give = Instant.now().plus(most);
        while (Instant.now().isBefore(give)) {
            Prom p = operatorMetrics();
            double now = p == null ? -1 : p.sum(OPERATOR_REQUESTS_METRIC);
            if (now != last) {
                last = now;
                since = Instant.now();
            } else if (Duration.between(since, Instant.now()).compareTo(quiet) >= 0) {
                break;
            }
            Thread.sleep(1000);
        }
        return seconds(start, Instant.now());
    }

    // ---------------------------------------------------------------- the fleet

    private static String name(int i) {
        return "svc-" + i;
    }

    private static MicroserviceDeployment msd(String namespace, int i) {
        MicroserviceDeployment msd = Msds.blueGreen(namespace, name(i), 1, "bench:0");
        AutoPromotion auto = new AutoPromotion();
        auto.setEnabled(true);
        auto.setAfterSeconds(0);
        msd.getSpec().getStrategy().getBlueGreen().setAutoPromotion(auto);
        if (i < AWS_MSDS) {
            msd.getSpec()
                    .setAws(AwsMsds.withRoleAndAlarm(namespace, name(i))
                            .getSpec()
                            .getAws());
        }
        msd.getMetadata().setUid(null);
        msd.getMetadata().setGeneration(null);
        return msd;
    }

    private static boolean releasedAndStable(MicroserviceDeployment m) {
        MicroserviceDeploymentStatus s = m.getStatus();
        return s != null
                && s.getPhase() == Phase.Healthy
                && m.getMetadata().getGeneration().equals(s.getObservedGeneration())
                && s.getCurrentRevision() != null
                && s.getCurrentRevision().equals(s.getStableRevision());
    }

    private static void retried(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (attempt == 5) {
                    throw e;
                }
                log("retrying a write after: %s", e.getMessage());
            }
        }
    }

    private static void forEach(ExecutorService writers, IntConsumer work) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            int index = i;
            running.add(writers.submit(() -> work.accept(index)));
        }
        for (Future<?> f : running) {
            f.get();
        }
    }

    private void awaitAll(
            io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                            MicroserviceDeployment,
                            ? extends io.fabric8.kubernetes.api.model.KubernetesResourceList<MicroserviceDeployment>,
                            io.fabric8.kubernetes.client.dsl.Resource<MicroserviceDeployment>>
                    msds,
            Map<String, String> failed,
            Predicate<MicroserviceDeployment> done) {
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<MicroserviceDeployment> items = msds.list().getItems();
            for (MicroserviceDeployment m : items) {
                if (m.getStatus() != null && m.getStatus().getPhase() == Phase.Failed) {
                    failed.putIfAbsent(
                            m.getMetadata().getName(),
                            String.valueOf(m.getStatus().getMessage()));
                }
            }
            return items.stream().filter(done).count() == N;
        });
    }

    private static void checkCapacity(CrashCluster cluster) {
        long pods = cluster.client.nodes().list().getItems().stream()
                .map(Node::getStatus)
                .mapToLong(s -> s.getAllocatable().get("pods") == null
                        ? 0
                        : Long.parseLong(s.getAllocatable().get("pods").getAmount()))
                .sum();
        if (pods < 2L * N + 50) {
            throw new IllegalStateException("the nodes hold " + pods + " Pods, " + N
                    + " MSDs in a release need " + (2 * N) + ": start the cluster with BLUESHIFT_CLUSTER_SIZE=bench"
                    + " (hack/cluster.sh down, then BLUESHIFT_CLUSTER_SIZE=bench hack/cluster.sh up)");
        }
    }

    // ---------------------------------------------------------------- the operator's memory

    private Prom operatorMetrics() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Prom.parse(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Map<String, Object> memory() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rssMiB", MemorySampler.status(operator.pid(), "VmRSS") / 1048576.0);
        m.put("hwmMiB", MemorySampler.status(operator.pid(), "VmHWM") / 1048576.0);
        m.put("threads", MemorySampler.status(operator.pid(), "Threads"));
        Prom p = operatorMetrics();
        if (p != null) {
            m.put("heapUsedMiB", p.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area"))) / 1048576.0);
            m.put(
                    "heapCommittedMiB",
                    p.sum("jvm_memory_committed_bytes", l -> "heap".equals(l.get("area"))) / 1048576.0);
            m.put("nonHeapUsedMiB", p.sum("jvm_memory_used_bytes", l -> "nonheap".equals(l.get("area"))) / 1048576.0);
        }
        String heap = jcmd("GC.heap_info");
        m.put("heapInfo", heap.lines().skip(1).limit(3).map(String::trim).collect(Collectors.joining(" | ")));
        return m;
    }

    /** Samples RSS and heap every second on its own thread; peaks since the last reset. */
    private final class MemorySampler {
        private final long pid;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "memory-sampler");
            t.setDaemon(true);
            return t;
        });
        private volatile double peakRss;
        private volatile double peakHeap;
        private volatile double peakRssEver;

        MemorySampler(long pid) {
            this.pid = pid;
            timer.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
        }

        private void sample() {
            double rss = status(operator.pid(), "VmRSS") / 1048576.0;
            peakRss = Math.max(peakRss, rss);
            peakRssEver = Math.max(peakRssEver, rss);
            Prom p = operatorMetrics();
            if (p != null) {
                peakHeap = Math.max(
                        peakHeap, p.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area"))) / 1048576.0);
            }
        }

        void reset() {
            peakRss = 0;
            peakHeap = 0;
        }

        Map<String, Object> peak() {
            return Map.of(
                    "rssMiB", peakRss, "heapUsedMiB", peakHeap, "hwmMiB", status(operator.pid(), "VmHWM") / 1048576.0);
        }

        Map<String, Object> peakEver() {
            return Map.of("sampledRssMiB", peakRssEver, "hwmMiB", status(operator.pid(), "VmHWM") / 1048576.0);
        }

        /** A line of /proc/PID/status in bytes (kB lines) or as it is (Threads). */
        static long status(long pid, String key) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith(key + ":")) {
                        String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                        long v = Long.parseLong(parts[0]);
                        return parts.length > 1 && parts[1].equals("kB") ? v * 1024 : v;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // gone
            }
            return -1;
        }
    }

    private String jcmd(String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(OperatorProcess.javaHome().resolve("bin").resolve("jcmd").toString());
        cmd.add(Long.toString(operator.pid()));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(2, TimeUnit.MINUTES);
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A class histogram (after a full GC) and, with NMT on, its summary: what holds the memory. */
    private Map<String, Object> memoryStudy(Path out) throws IOException {
        Map<String, Object> study = new LinkedHashMap<>();
        String histogram = jcmd("GC.class_histogram");
        Files.writeString(out.resolve("fleet-" + N + "-" + LABEL + "-histogram.txt"), histogram);
        study.put(
                "histogramTop",
                histogram.lines().skip(2).limit(30).map(String::trim).toList());
        String nmt = jcmd("VM.native_memory", "summary");
        Files.writeString(out.resolve("fleet-" + N + "-" + LABEL + "-nmt.txt"), nmt);
        Map<String, String> categories = new LinkedHashMap<>();
        nmt.lines()
                .filter(l -> l.matches("^(Total|-\\s+[A-Za-z ]+)\\s*\\(reserved=.*"))
                .forEach(l -> {
                    String name = l.replaceFirst("^-?\\s*", "")
                            .replaceFirst("\\s*\\(.*", "")
                            .trim();
                    String committed = l.replaceFirst(".*committed=(\\d+KB).*", "$1");
                    categories.put(name, committed);
                });
        study.put("nmtCommitted", categories);
        return study;
    }

    // ---------------------------------------------------------------- rollback (make bench-rollback's result)

    private static Object rollback(Path out) {
        Path file = out.resolve("rollback.json");
        if (!Files.exists(file)) {
            return "not run (make bench runs RollbackBenchmark first and it writes " + file.getFileName() + ")";
        }
        try {
            return new ObjectMapper().readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------- the machine and the report

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        try {
            m.put(
                    "memTotal",
                    Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        } catch (IOException e) {
            m.put("memTotal", "?");
        }
        m.put("loadavgStart", loadavg());
        m.put("start", Instant.now().toString());
        return m;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Waits until the namespaces of earlier fleets are gone, and returns the prefix of this one's.
     * Deleting a namespace of 1000 MSDs takes the API server minutes (all their ReplicaSets, Pods,
     * Services and Endpoints): a fleet created meanwhile would be timed against that work (a second
     * repetition started right after the first took 263 s to become Healthy instead of 189 s).
     */
    private static String awaitEarlierFleetsGone() throws InterruptedException {
        String prefix = "bs-fleet-";
        LocalControlPlane.ensure();
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(20).toNanos();
        try (KubernetesClient client = LocalControlPlane.client()) {
            List<String> left;
            while (!(left = client.namespaces().list().getItems().stream()
                            .map(ns -> ns.getMetadata().getName())
                            .filter(name -> name.startsWith(prefix))
                            .toList())
                    .isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("namespaces of earlier fleets still there after 20 min: " + left);
                }
                Thread.sleep(2_000);
            }
        }
        double waited = (System.nanoTime() - start) / 1e9;
        if (waited > 1) {
            log("waited %.0f s for the namespaces of earlier fleets to go", waited);
        }
        return prefix.substring(0, prefix.length() - 1);
    }

    /** The operator's JDK's version, from its {@code release} file. */
    private static String operatorJavaVersion() {
        try {
            return Files.readAllLines(OperatorProcess.javaHome().resolve("release")).stream()
                    .filter(l -> l.startsWith("JAVA_RUNTIME_VERSION="))
                    .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", ""))
                    .findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return System.getProperty("java.vm.version");
        }
    }

    private static Map<String, Object> versions(CrashCluster cluster) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("java", operatorJavaVersion());
        v.put("kubernetes", cluster.client.getKubernetesVersion().getGitVersion());
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty")
                    .directory(RepoPaths.root().toFile())
                    .start();
            v.put("commit", new String(p.getInputStream().readAllBytes()).trim());
        } catch (IOException e) {
            v.put("commit", "?");
        }
        return v;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[fleet] " + format + "%n", args);
    }

    @SuppressWarnings("unchecked")
    private void write(Path out) throws IOException {
        Map<String, Object> targets = targets();
        report.put("targets", targets);
        String base = "fleet-" + N + "-" + LABEL;
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve(base + ".json").toFile(), report);
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        Map<String, Object> create = (Map<String, Object>) report.get("create");
        Map<String, Object> release = (Map<String, Object>) report.get("release");
        Map<String, Object> steady = (Map<String, Object>) report.get("steady");
        Map<String, Object> restart = (Map<String, Object>) report.get("restartWithN");
        md.append("# Blueshift fleet benchmark: N=")
                .append(N)
                .append(" (")
                .append(LABEL)
                .append(REPEAT > 1 ? "; medians of " + REPEAT + " runs, each run in the JSON" : "")
                .append(")\n\n");
        md.append("Machine: ")
                .append(machine.get("nproc"))
                .append(" CPUs, ")
                .append(machine.get("memTotal"))
                .append("; load average at start ")
                .append(machine.get("loadavgStart"))
                .append(", at end ")
                .append(((Map<String, Object>) report.get("machineEnd")).get("loadavg"))
                .append(".  \n");
        md.append("Versions: ").append(report.get("versions")).append(".  \n");
        md.append("Operator JVM: ")
                .append(((Map<String, Object>) report.get("jvm")).get("flags"))
                .append(", environment ")
                .append(((Map<String, Object>) report.get("jvm")).get("environment"))
                .append(".\n\n");
        md.append("| measure | value |\n|---|---|\n");
        row(md, "create -> all Healthy", fmt(create.get("seconds")) + " s");
        row(md, "release all -> all stable", fmt(release.get("seconds")) + " s");
        row(
                md,
                "RSS idle / after create / peak (HWM)",
                fmt(((Map<?, ?>) report.get("idle")).get("rssMiB")) + " / "
                        + fmt(((Map<?, ?>) create.get("memoryAfter")).get("rssMiB")) + " / "
                        + fmt(((Map<?, ?>) report.get("memoryPeakRss")).get("hwmMiB")) + " MiB");
        row(
                md,
                "heap used idle / peak in create / peak in release / after",
                fmt(((Map<?, ?>) report.get("idle")).get("heapUsedMiB")) + " / "
                        + fmt(((Map<?, ?>) create.get("memoryPeakDuring")).get("heapUsedMiB")) + " / "
                        + fmt(((Map<?, ?>) release.get("memoryPeakDuring")).get("heapUsedMiB")) + " / "
                        + fmt(((Map<?, ?>) steady.get("memoryAfter")).get("heapUsedMiB")) + " MiB");
        row(
                md,
                "reconciles/s create / release",
                fmt(create.get("reconcilesPerSecond")) + " / " + fmt(release.get("reconcilesPerSecond")));
        row(
                md,
                "reconciles per MSD create / release",
                fmt(create.get("reconcilesPerMsd")) + " / " + fmt(release.get("reconcilesPerMsd")));
        row(
                md,
                "API requests (all clients) create + release",
                fmt((double) create.get("apiRequestsAllClients") + (double) release.get("apiRequestsAllClients")));
        row(
                md,
                "API requests per release (all clients / operator's own)",
                fmt(release.get("apiRequestsPerMsd")) + " / " + fmt(release.get("operatorRequestsPerMsd")));
        row(md, "operator requests by kind, release", String.valueOf(release.get("operatorRequestsByKind")));
        row(md, "AWS calls, create", String.valueOf(create.get("awsCalls")));
        row(
                md,
                "steady " + STEADY_SECONDS + " s: operator writes / API writes all clients (of which Lease)",
                fmt(steady.get("operatorWrites")) + " / " + fmt(steady.get("apiWritesAllClients")) + " ("
                        + fmt(steady.get("apiLeaseWritesAllClients")) + ")");
        row(
                md,
                "steady: AWS writes / DescribeAlarms per poll interval (" + ALARM_POLL.toSeconds() + " s)",
                fmt(steady.get("awsWrites")) + " / " + fmt(steady.get("describeAlarmsPerPollInterval")));
        row(
                md,
                "restart with N: to all N observed (informers synced) / first reconcile / all N reconciled",
                fmt(restart.get("startToAllObservedSeconds")) + " / " + fmt(restart.get("startToFirstReconcileSeconds"))
                        + " / " + fmt(restart.get("startToAllReconciledSeconds")) + " s");
        row(md, "operator exits (lost Lease) and restarts", String.valueOf(exits.size()));
        row(md, "MSDs seen Failed", String.valueOf(((Map<?, ?>) report.get("failedPhaseSeen")).size()));
        row(md, "rollback (breach -> switch)", String.valueOf(report.get("rollback")));
        md.append("\n## Targets (issue 15)\n\n| target | result |\n|---|---|\n");
        targets.forEach((k, v) -> row(md, k, String.valueOf(v)));
        md.append("\n## API requests by verb and resource, release (all clients)\n\n");
        ((Map<String, Double>) release.get("apiByVerbResource"))
                .forEach((k, v) ->
                        md.append("- ").append(k).append(": ").append(fmt(v)).append('\n'));
        md.append("\n## Steady state, API requests by verb and resource (all clients)\n\n");
        ((Map<String, Double>) steady.get("apiByVerbResource"))
                .forEach((k, v) ->
                        md.append("- ").append(k).append(": ").append(fmt(v)).append('\n'));
        if (report.containsKey("memoryStudy")) {
            Map<String, Object> study = (Map<String, Object>) report.get("memoryStudy");
            md.append("\n## Memory study\n\nNMT committed: ")
                    .append(study.get("nmtCommitted"))
                    .append("\n\nClass histogram, top:\n\n```\n");
            ((List<String>) study.get("histogramTop")).forEach(l -> md.append(l).append('\n'));
            md.append("```\n");
        }
        Files.writeString(out.resolve(base + ".md"), md.toString());
        System.out.println();
        System.out.println(md);
        log("report: operator/target/bench/%s.{md,json}", base);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> targets() {
        Map<String, Object> t = new LinkedHashMap<>();
        double hwm = ((Number) ((Map<String, Object>) report.get("memoryPeakRss")).get("hwmMiB")).doubleValue();
        t.put(
                "peak RSS <= 200 MiB at 1000 MSDs",
                (N >= 1000 ? (hwm <= 200 ? "met" : "missed") : "not applicable at N=" + N) + " (peak " + fmt(hwm)
                        + " MiB)");
        Map<String, Object> steady = (Map<String, Object>) report.get("steady");
        double writes = ((Number) steady.get("operatorWrites")).doubleValue()
                + ((Number) steady.get("awsWrites")).doubleValue();
        t.put(
                "0 writes at steady state (operator's Kubernetes writes + AWS writes)",
                (writes == 0 ? "met" : "missed") + " (" + fmt(writes) + ")");
        double[] go = GO_FIGURES.get(N);
        double healthy = ((Number) ((Map<String, Object>) report.get("create")).get("seconds")).doubleValue();
        double stable = ((Number) ((Map<String, Object>) report.get("release")).get("seconds")).doubleValue();
        if (go != null) {
            t.put(
                    "create -> all Healthy <= 0.8 x Go controller's " + go[0] + " s",
                    (healthy <= 0.8 * go[0] ? "met" : "missed") + " (" + fmt(healthy) + " s, bound " + fmt(0.8 * go[0])
                            + " s)");
            t.put(
                    "release -> all stable <= 0.8 x Go controller's " + go[1] + " s",
                    (stable <= 0.8 * go[1] ? "met" : "missed") + " (" + fmt(stable) + " s, bound " + fmt(0.8 * go[1])
                            + " s)");
        } else {
            t.put("time targets", "no Go controller figure for N=" + N + " (the issue has 100 and 1000)");
        }
        int failed = ((Map<?, ?>) report.get("failedPhaseSeen")).size();
        t.put(
                "no phase Failed for a timeout or 429/5xx",
                (failed == 0 ? "met" : "missed") + " (" + failed + " MSDs seen Failed)");
        Object rb = report.get("rollback");
        if (rb instanceof Map) {
            Map<String, Object> r = (Map<String, Object>) rb;
            double p99 = ((Number) r.get("operatorP99Ms")).doubleValue();
            double bound = ((Number) r.get("intervalMs")).doubleValue() + 1000;
            double e2e = ((Number) r.get("endToEndP99Ms")).doubleValue();
            t.put(
                    "rollback within analysis interval + 1 s at p99",
                    (e2e <= bound ? "met" : "missed") + " (end to end p99 " + fmt(e2e) + " ms, operator p99 " + fmt(p99)
                            + " ms, bound " + fmt(bound) + " ms)");
        } else {
            t.put("rollback within analysis interval + 1 s at p99", "not measured: " + rb);
        }
        return t;
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v.replace("|", "/")).append(" |\n");
    }

    private static String fmt(Object v) {
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e12 ? Long.toString((long) d) : String.format("%.1f", d);
        }
        return String.valueOf(v);
    }
}
