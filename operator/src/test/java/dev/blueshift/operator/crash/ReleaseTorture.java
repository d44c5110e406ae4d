package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.Analysis;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisStage;
import dev.blueshift.operator.api.v1alpha1.spec.AutoPromotion;
import dev.blueshift.operator.api.v1alpha1.spec.CloudWatchAlarmMetric;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.aws.cloudwatch.AlarmNames;
import dev.blueshift.operator.aws.iam.RoleNames;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.bluegreen.Commands;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.aws.AwsMsds;
import dev.blueshift.operator.support.aws.AwsTestClients;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Releases under a {@link Disruption}: BlueGreen MSDs release, abort, roll back and are deleted
 * while the disruption strikes at those moments and at random ones. A watcher records every
 * Service, ReplicaSet and MSD change and checks invariants 1 and 2 of issue 12 at every recorded
 * moment ({@link ReleaseInvariants}); after each release the MSD must reach the end state its spec
 * and commands ask for (4), within its revision history and with no orphaned or duplicate IAM role
 * or alarm (3); after the final deletion, nothing of it may be left in AWS.
 *
 * <p>Randomness is seeded (printed; rerun with {@code -Dblueshift.crash.seed=N}): which scenario
 * each release plays, when disruptions fall. Thread timing is not, so a seed replays the same plan,
 * not the same interleaving. The suite's own requests ride out an API server that is down for a
 * moment (reads are retried by the waits, writes by {@link #retrying}).
 */
final class ReleaseTorture {
    private static final Duration CONVERGE = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(45);
    private static final int HISTORY = 2;

    private enum Scenario {
        PROMOTE,
        ABORT,
        ROLLBACK,
        DELETE
    }

    /** What the suite sets up around the driver: the operator and the disruption it plays. */
    interface Setup {
        Disruption disruption(OperatorProcess operator, CrashCluster cluster, Random random);
    }

    private final String log;
    private final String prefix;
    private final long seed;
    private final int msds;
    private final int rounds;
    private final Setup setup;
    private final Map<String, String> extraSettings;
    private CrashCluster cluster;
    private KubernetesClient client;
    private String awsCluster;
    private String badAlarm;
    private Disruption disruption;
    private ReleaseInvariants watcher;
    private final AtomicInteger releases = new AtomicInteger();
    private final Map<Scenario, AtomicInteger> scenarios = new ConcurrentHashMap<>();
    private final List<String> wrongEndStates = Collections.synchronizedList(new ArrayList<>());
    private final List<String> historyViolations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> orphans = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param log the prefix of every report line ("[kill-9] ")
     * @param prefix the namespace prefix (and operator identity)
     * @param msds MSDs released in parallel
     * @param rounds releases of each after its first
     */
    ReleaseTorture(
            String log,
            String prefix,
            long seed,
            int msds,
            int rounds,
            Map<String, String> extraSettings,
            Setup setup) {
        this.log = log;
        this.prefix = prefix;
        this.seed = seed;
        this.msds = msds;
        this.rounds = rounds;
        this.extraSettings = Map.copyOf(extraSettings);
        this.setup = setup;
    }

    /** Plays the releases, prints the report and asserts what must hold; returns the disruption for more checks. */
    <D extends Disruption> D run(Class<D> type, int minimumDisruptions) throws Exception {
        System.out.println(log + "seed " + seed + " (rerun: -Dblueshift.crash.seed=" + seed + "), " + msds + " MSDs x "
                + (rounds + 1) + " releases");
        long started = System.nanoTime();
        cluster = new CrashCluster("bs-" + prefix);
        client = cluster.client;
        Map<String, String> settings = new java.util.HashMap<>(cluster.operatorSettings());
        settings.putAll(extraSettings);
        awsCluster = settings.get("blueshift.aws.cluster-name");
        badAlarm = "blueshift-test-allowed/" + cluster.namespace + "/bad";
        OperatorProcess operator = new OperatorProcess(prefix + "-" + cluster.namespace, settings);
        watcher = new ReleaseInvariants(client, cluster.namespace);
        try (CloudWatchClient cloudWatch = AwsTestClients.cloudWatch();
                IamClient iam = AwsTestClients.iam()) {
            // The alarm every rollback scenario's post-promotion analysis reads: always breaching.
            cloudWatch.putMetricAlarm(r -> r.alarmName(badAlarm)
                    .namespace("Blueshift/Crash")
                    .metricName("Errors")
                    .statistic(Statistic.SUM)
                    .period(60)
                    .evaluationPeriods(1)
                    .threshold(1.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            AwsTestClients.setAlarmState(cloudWatch, badAlarm, StateValue.ALARM, "the crash suite's bad release");
            operator.start();
            disruption = setup.disruption(operator, cluster, new Random(seed ^ 0x5DEECE66DL));
            ExecutorService workers = Executors.newFixedThreadPool(msds);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < msds; i++) {
                int index = i;
                done.add(workers.submit(() -> {
                    releaseOneMsd(index, cloudWatch, iam);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            workers.shutdown();
            disruption.stopRandom();
            deleteEverything(cloudWatch, iam);
            List<String> violations = new ArrayList<>(watcher.violations());
            violations.addAll(historyViolations);
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            System.out.println(log + "releases " + releases.get() + " " + new TreeMap<>(scenarios));
            System.out.println(log + disruption.report());
            System.out.println(log + "wrong end states " + wrongEndStates.size());
            wrongEndStates.forEach(w -> System.out.println(log + "  " + w));
            System.out.println(log + "invariant violations " + violations.size() + " (over " + watcher.eventCount()
                    + " recorded changes; watches re-established " + watcher.rewatches() + ")");
            violations.forEach(v -> System.out.println(log + "  " + v));
            System.out.println(log + "orphans " + orphans.size());
            orphans.forEach(o -> System.out.println(log + "  " + o));
            System.out.println(log + "operator log ERROR lines "
                    + operator.logLines(" ERROR ").size() + " (" + operator.log() + "); " + seconds + " s");

            assertThat(watcher.eventCount()).as("changes the watcher recorded").isGreaterThan(releases.get());
            assertThat(disruption.failures())
                    .as(disruption.what() + " that could not be made")
                    .isEmpty();
            assertThat(disruption.count()).as(disruption.what()).isGreaterThanOrEqualTo(minimumDisruptions);
            assertThat(wrongEndStates).as("wrong end states").isEmpty();
            assertThat(violations).as("invariant violations").isEmpty();
            assertThat(orphans).as("orphaned or duplicate IAM roles and alarms").isEmpty();
            return type.cast(disruption);
        } finally {
            if (disruption != null) {
                disruption.close();
            }
            operator.close();
            watcher.close();
            cluster.close();
        }
    }

    int releases() {
        return releases.get();
    }

    /** Creates MSD {@code m<index>}, then plays ROUNDS scenarios on it, one after the other. */
    private void releaseOneMsd(int index, CloudWatchClient cloudWatch, IamClient iam) {
        String name = "m" + index;
        boolean aws = index % 2 == 0;
        Random random = new Random(seed + 7919L * index);
        AtomicInteger version = new AtomicInteger();
        create(name, aws, version.get());
        expectReleased(name, "first release");
        for (int round = 0; round < rounds; round++) {
            Scenario scenario = pick(random);
            scenarios.computeIfAbsent(scenario, s -> new AtomicInteger()).incrementAndGet();
            String stable = retrying(() -> msd(name)).getStatus().getStableRevision();
            int v = version.incrementAndGet();
            switch (scenario) {
                case PROMOTE -> {
                    setTemplate(name, v, true, null);
                    if (disruption.wants("mid-promotion", random, 0.6)) {
                        awaitStatus(
                                name,
                                "Paused or Promoting",
                                s -> s.getPhase() == Phase.Paused
                                        || s.getPhase() == Phase.Promoting
                                        || s.getPhase() == Phase.Healthy);
                        disruption.soon("mid-promotion", random.nextInt(1500));
                    }
                    expectReleased(name, "promotion of v" + v);
                }
                case ABORT -> {
                    setTemplate(name, v, false, null);
                    if (disruption.wants("mid-preview", random, 0.3)) {
                        disruption.soon("mid-preview", random.nextInt(1000));
                    }
                    String revision = awaitNewRevision(name, stable);
                    sleep(random.nextInt(2000));
                    command(name, Commands.ABORT);
                    if (disruption.wants("mid-abort", random, 0.7)) {
                        disruption.soon("mid-abort", random.nextInt(400));
                    }
                    converge(
                            name,
                            "abort of v" + v + " (" + revision + ")",
                            m -> m.getStatus().getPhase() == Phase.Aborted
                                    && revision.equals(m.getStatus().getAbortedRevision())
                                    && stable.equals(m.getStatus().getActiveRevision())
                                    && stable.equals(selectedRevision(name))
                                    && current(m)
                                    && noCommandLeft(m));
                }
                case ROLLBACK -> {
                    setTemplate(name, v, true, badAnalysis());
                    String revision = awaitNewRevision(name, stable);
                    awaitStatus(
                            name,
                            "promotion of " + revision,
                            s -> s.getPhase() == Phase.Promoting
                                    || revision.equals(s.getActiveRevision())
                                    || s.getPhase() == Phase.RolledBack);
                    if (disruption.wants("mid-rollback", random, 0.7)) {
                        disruption.soon("mid-rollback", random.nextInt(1000));
                    }
                    converge(
                            name,
                            "rollback of v" + v + " (" + revision + ")",
                            m -> m.getStatus().getPhase() == Phase.RolledBack
                                    && m.getStatus().getLastRollback() != null
                                    && revision.equals(
                                            m.getStatus().getLastRollback().getFrom())
                                    && stable.equals(m.getStatus().getActiveRevision())
                                    && stable.equals(selectedRevision(name))
                                    && current(m));
                }
                case DELETE -> {
                    setTemplate(name, v, true, null);
                    sleep(random.nextInt(3000));
                    retrying(() -> {
                        markDeletion(client.resources(MicroserviceDeployment.class)
                                .inNamespace(cluster.namespace)
                                .withName(name)
                                .get());
                        return client.resources(MicroserviceDeployment.class)
                                .inNamespace(cluster.namespace)
                                .withName(name)
                                .delete();
                    });
                    if (disruption.wants("mid-deletion", random, 0.7)) {
                        disruption.soon("mid-deletion", random.nextInt(500));
                    }
                    expectGone(name, aws, cloudWatch, iam);
                    create(name, aws, version.incrementAndGet());
                    expectReleased(name, "release after re-creation");
                }
            }
            if (scenario != Scenario.DELETE) {
                checkHistory(name);
            }
            if (aws) {
                checkAws(name, cloudWatch, iam);
            }
        }
    }

    private static Scenario pick(Random random) {
        double d = random.nextDouble();
        return d < 0.35 ? Scenario.PROMOTE : d < 0.6 ? Scenario.ABORT : d < 0.85 ? Scenario.ROLLBACK : Scenario.DELETE;
    }

    private void create(String name, boolean aws, int version) {
        MicroserviceDeployment msd =
                aws ? AwsMsds.withRoleAndAlarm(cluster.namespace, name) : Msds.rolling(cluster.namespace, name, 2, "x");
        MicroserviceDeployment blueGreen = Msds.blueGreen(cluster.namespace, name, 2, image(name, version));
        blueGreen.getSpec().setAws(msd.getSpec().getAws());
        blueGreen.getSpec().setRevisionHistoryLimit(HISTORY);
        blueGreen.getSpec().getStrategy().getBlueGreen().setPreviewReplicaCount(1);
        blueGreen.getSpec().getStrategy().getBlueGreen().setAutoPromotion(autoPromotion(true));
        cluster.claim(blueGreen);
        retrying(() -> {
            try {
                return client.resource(blueGreen).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && msd(name) != null) {
                    return null; // created by an attempt whose answer the API server lost as it went down
                }
                throw e;
            }
        });
        releases.incrementAndGet();
    }

    private static String image(String name, int version) {
        return "registry.example/" + name + ":v" + version;
    }

    private static AutoPromotion autoPromotion(boolean enabled) {
        AutoPromotion auto = new AutoPromotion();
        auto.setEnabled(enabled);
        auto.setAfterSeconds(1);
        return auto;
    }

    /** Post-promotion analysis by an alarm that always breaches: the release rolls back. */
    private Analysis badAnalysis() {
        CloudWatchAlarmMetric alarm = new CloudWatchAlarmMetric();
        alarm.setAlarmName(badAlarm);
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("bad");
        metric.setCloudWatchAlarm(alarm);
        Analysis analysis = new Analysis();
        analysis.setInterval("1s");
        analysis.setPostPromotion(new AnalysisStage("20s"));
        analysis.setMetrics(List.of(metric));
        return analysis;
    }

    /** A new template (a new revision), with auto-promotion on or off and this analysis. */
    private void setTemplate(String name, int version, boolean autoPromote, Analysis analysis) {
        edit(name, m -> {
            Msds.setImage(m, image(name, version));
            m.getSpec().getStrategy().getBlueGreen().setAutoPromotion(autoPromotion(autoPromote));
            m.getSpec().setAnalysis(analysis);
            return m;
        });
        releases.incrementAndGet();
    }

    private void edit(String name, UnaryOperator<MicroserviceDeployment> change) {
        retrying(() -> client.resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .edit(change));
    }

    /** A command as the plugin gives it: a merge patch of one annotation with a fresh value. */
    private void command(String name, String annotation) {
        String stamp = java.time.Instant.now() + "-"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
        retrying(() -> client.resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + stamp + "\"}}}"));
    }

    private MicroserviceDeployment msd(String name) {
        return client.resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .get();
    }

    private String selectedRevision(String name) {
        Service service =
                client.services().inNamespace(cluster.namespace).withName(name).get();
        return service == null || service.getSpec().getSelector() == null
                ? null
                : service.getSpec().getSelector().get(WorkloadLabels.REVISION);
    }

    private static boolean current(MicroserviceDeployment m) {
        return m.getMetadata().getGeneration().equals(m.getStatus().getObservedGeneration());
    }

    private static boolean noCommandLeft(MicroserviceDeployment m) {
        Map<String, String> annotations = m.getMetadata().getAnnotations();
        return annotations == null
                || Set.of(Commands.PROMOTE, Commands.ABORT, Commands.RETRY).stream()
                        .noneMatch(annotations::containsKey);
    }

    private void expectReleased(String name, String what) {
        converge(
                name,
                what,
                m -> m.getStatus().getPhase() == Phase.Healthy
                        && current(m)
                        && m.getStatus().getCurrentRevision() != null
                        && m.getStatus()
                                .getCurrentRevision()
                                .equals(m.getStatus().getStableRevision())
                        && m.getStatus()
                                .getCurrentRevision()
                                .equals(m.getStatus().getActiveRevision())
                        && m.getStatus().getCurrentRevision().equals(selectedRevision(name))
                        && noCommandLeft(m));
    }

    /** The revision the MSD's current template makes, once the operator has seen the template. */
    private String awaitNewRevision(String name, String previous) {
        MicroserviceDeployment m = awaitStatus(
                name,
                "a new revision",
                s -> s.getCurrentRevision() != null && !s.getCurrentRevision().equals(previous));
        long generation = m.getMetadata().getGeneration();
        return awaitStatus(
                        name,
                        "the current generation observed",
                        s -> s.getObservedGeneration() != null && s.getObservedGeneration() >= generation)
                .getStatus()
                .getCurrentRevision();
    }

    private MicroserviceDeployment awaitStatus(String name, String what, Predicate<MicroserviceDeploymentStatus> ok) {
        return await(name + ": " + what)
                .atMost(CONVERGE)
                .ignoreExceptions()
                .pollInterval(Duration.ofMillis(100))
                .until(() -> msd(name), m -> m != null && m.getStatus() != null && ok.test(m.getStatus()));
    }

    /** Waits for the end state; a timeout is a wrong end state, recorded with the status that was reached. */
    private void converge(String name, String what, Predicate<MicroserviceDeployment> ok) {
        try {
            await(name + ": " + what)
                    .atMost(CONVERGE)
                    .ignoreExceptions()
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> msd(name), m -> m != null && m.getStatus() != null && ok.test(m));
        } catch (ConditionTimeoutException e) {
            MicroserviceDeployment m = msd(name);
            wrongEndStates.add(name + ": " + what + " did not end as asked; Service selects " + selectedRevision(name)
                    + "; status " + (m == null ? "(MSD gone)" : Serialization.asJson(m.getStatus())));
        }
    }

    /**
     * Invariant 3, Kubernetes side: once settled, no more scaled-down ReplicaSets than
     * revisionHistoryLimit, besides the current template's own (an aborted or rolled-back revision
     * waits at 0 for a retry; it is the release, not history, as in Argo Rollouts).
     */
    private void checkHistory(String name) {
        try {
            await(name + ": history within the limit")
                    .atMost(SETTLE)
                    .ignoreExceptions()
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> history(name).size() <= HISTORY);
        } catch (ConditionTimeoutException e) {
            historyViolations.add(name + ": scaled-down ReplicaSets " + history(name)
                    + " besides the current revision, revisionHistoryLimit " + HISTORY);
        }
    }

    private List<String> history(String name) {
        MicroserviceDeployment m = msd(name);
        String current =
                m == null || m.getStatus() == null ? null : m.getStatus().getCurrentRevision();
        return replicaSets(name).stream()
                .filter(rs -> rs.getSpec().getReplicas() == 0)
                .map(rs -> rs.getMetadata().getLabels().get(WorkloadLabels.REVISION))
                .filter(r -> !r.equals(current))
                .toList();
    }

    private List<ReplicaSet> replicaSets(String name) {
        return client.apps()
                .replicaSets()
                .inNamespace(cluster.namespace)
                .withLabel(WorkloadLabels.MSD, name)
                .list()
                .getItems();
    }

    /** Invariant 3, AWS side: the MSD's role exists once, and every alarm of it belongs to a ReplicaSet that exists. */
    private void checkAws(String name, CloudWatchClient cloudWatch, IamClient iam) {
        String role = RoleNames.of(awsCluster, cluster.namespace, name);
        try {
            await(name + ": AWS settled")
                    .atMost(SETTLE)
                    .ignoreExceptions()
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> strayAlarms(name, cloudWatch).isEmpty() && roleExists(iam, role));
        } catch (ConditionTimeoutException e) {
            orphans.add(name + ": role " + role + (roleExists(iam, role) ? " exists" : " missing")
                    + "; alarms without a ReplicaSet " + strayAlarms(name, cloudWatch));
        }
    }

    private List<String> strayAlarms(String name, CloudWatchClient cloudWatch) {
        Set<String> live = new java.util.HashSet<>();
        replicaSets(name).forEach(rs -> live.add(rs.getMetadata().getLabels().get(WorkloadLabels.REVISION)));
        String prefix = AlarmNames.prefix(awsCluster, cluster.namespace, name);
        return alarms(cloudWatch, prefix).stream()
                .filter(a -> !live.contains(AlarmNames.revision(prefix, a).orElse("")))
                .toList();
    }

    private static List<String> alarms(CloudWatchClient cloudWatch, String prefix) {
        return cloudWatch.describeAlarmsPaginator(r -> r.alarmNamePrefix(prefix)).metricAlarms().stream()
                .map(MetricAlarm::alarmName)
                .toList();
    }

    private static boolean roleExists(IamClient iam, String role) {
        try {
            iam.getRole(r -> r.roleName(role));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    /** Deleted: the MSD, what it owned (the garbage collector's part) and its AWS resources. */
    private void expectGone(String name, boolean aws, CloudWatchClient cloudWatch, IamClient iam) {
        try {
            await(name + ": deleted")
                    .atMost(CONVERGE)
                    .ignoreExceptions()
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> msd(name) == null);
            await(name + ": owned objects collected")
                    .atMost(SETTLE)
                    .ignoreExceptions()
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> replicaSets(name).isEmpty()
                            && client.services()
                                    .inNamespace(cluster.namespace)
                                    .withLabel(WorkloadLabels.MSD, name)
                                    .list()
                                    .getItems()
                                    .isEmpty());
        } catch (ConditionTimeoutException e) {
            MicroserviceDeployment m = msd(name);
            wrongEndStates.add(name + ": deletion did not complete; "
                    + (m == null
                            ? replicaSets(name).size() + " ReplicaSets left"
                            : "finalizers " + m.getMetadata().getFinalizers() + ", status "
                                    + Serialization.asJson(m.getStatus())));
            return;
        }
        if (aws) {
            String role = RoleNames.of(awsCluster, cluster.namespace, name);
            if (roleExists(iam, role)) {
                orphans.add(name + ": role " + role + " left after the MSD was deleted");
            }
            List<String> left = alarms(cloudWatch, AlarmNames.prefix(awsCluster, cluster.namespace, name));
            if (!left.isEmpty()) {
                orphans.add(name + ": alarms left after the MSD was deleted: " + left);
            }
        }
    }

    /** The end of the run: every MSD deleted (one more kill while they go), nothing left in AWS. */
    private void deleteEverything(CloudWatchClient cloudWatch, IamClient iam) {
        retrying(() -> {
            client.resources(MicroserviceDeployment.class)
                    .inNamespace(cluster.namespace)
                    .list()
                    .getItems()
                    .forEach(this::markDeletion);
            return client.resources(MicroserviceDeployment.class)
                    .inNamespace(cluster.namespace)
                    .delete();
        });
        disruption.soon("mid-deletion", new Random(seed).nextInt(300));
        for (int i = 0; i < msds; i++) {
            expectGone("m" + i, i % 2 == 0, cloudWatch, iam);
        }
        // Anything else under this namespace's prefixes: a role or alarm of a name no MSD has.
        String alarmPrefix = "blueshift/" + awsCluster + "/" + cluster.namespace + "/";
        alarms(cloudWatch, alarmPrefix).forEach(a -> orphans.add("alarm " + a + " left at the end"));
        // Role names are bs-<namespace>-<msd>-<hash>; this namespace's name is short enough to be kept whole.
        iam.listRolesPaginator(r -> r.pathPrefix("/")).roles().stream()
                .filter(r -> r.roleName().startsWith("bs-" + cluster.namespace + "-"))
                .forEach(r -> orphans.add("role " + r.roleName() + " left at the end"));
    }

    /**
     * Runs a write, again while the API server is away for a moment (no answer, 5xx) or the object
     * changed under it (409), for up to a minute.
     */
    private <T> T retrying(java.util.function.Supplier<T> write) {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                boolean transientFailure = e.getCode() == 0 || e.getCode() == 409 || e.getCode() >= 500;
                if (!transientFailure || System.nanoTime() > until) {
                    throw e;
                }
                sleep(250);
            }
        }
    }

    /** Tells the watcher the suite is about to delete {@code msd} (null: already gone). */
    private void markDeletion(MicroserviceDeployment msd) {
        if (msd != null) {
            watcher.deletionAsked(
                    msd.getMetadata().getName(),
                    Long.parseLong(msd.getMetadata().getResourceVersion()));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
