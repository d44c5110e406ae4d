package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.aws.cloudwatch.AlarmNames;
import dev.blueshift.operator.aws.iam.RoleNames;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsMsds;
import dev.blueshift.operator.support.aws.AwsTestClients;
import dev.blueshift.operator.support.aws.FaultPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * AWS failing under the packaged operator (faults from the tests' AWS proxy): bursts of
 * throttling, 5xx and 20 s answers while MSDs release, and AWS down or refusing while MSDs are
 * deleted. The operator must back off (its AWS call rate stays bounded), say so in status with a
 * recoverable condition, and converge once AWS is back; deletion waits for AWS, and {@code Retain}
 * or the documented way out lets an MSD go without deleting what AWS refuses to delete. Prints
 * the call rates and the convergence times.
 */
@Tag("process")
@KwokOnly
class AwsFaultsIT {
    private static final String LOG = "[aws-faults] ";
    private static final int MSDS = 4;
    private static final Duration BURST = Duration.ofSeconds(15);
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    /**
     * A hot loop makes hundreds of calls a second; bounded retries make a few per MSD: each sync is
     * at most a handful of operations x 4 attempts (blueshift.aws.max-attempts), repeated at most every
     * 1 s and backing off to the 3 s resync, plus the alarm poll (1 s) x 4 attempts.
     */
    private static final double MAX_CALLS_PER_SECOND_PER_MSD = 12;

    private CrashCluster cluster;
    private OperatorProcess operator;
    private String awsCluster;
    private final AwsEmulatorProxy proxy = AwsEmulator.proxy();

    @BeforeEach
    void start() {
        cluster = new CrashCluster("bs-awsfaults");
        Map<String, String> settings = cluster.operatorSettings();
        awsCluster = settings.get("blueshift.aws.cluster-name");
        operator = new OperatorProcess("awsfaults-" + cluster.namespace, settings);
        operator.start();
    }

    @AfterEach
    void stop() {
        proxy.faults().clear();
        operator.close();
        cluster.close();
    }

    @Test
    void throttlingServerErrorsAndSlowAnswersDuringReleasesAreRiddenOutWithBoundedCallsThenConverge() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < MSDS; i++) {
            names.add("a" + i);
            create("a" + i, 1, DeletionPolicy.Delete);
        }
        names.forEach(n -> awaitSettled(n, 1, CONVERGE));
        List<String> report = new ArrayList<>();
        int version = 1;
        for (FaultKind kind : FaultKind.values()) {
            version++;
            int v = version;
            int before = proxy.calls().size();
            long started = System.nanoTime();
            kind.inject.accept(proxy.faults());
            names.forEach(n -> edit(n, m -> Msds.setImage(m, image(n, v))));
            if (kind != FaultKind.SLOW) {
                // the status a user reads meanwhile: AWS unavailable, a recoverable condition
                names.forEach(n -> await(n + ": a recoverable AWS condition during " + kind)
                        .atMost(BURST.plusSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> awsCondition(n)
                                .filter(c -> "False".equals(c.getStatus()) && "AwsUnavailable".equals(c.getReason()))
                                .isPresent()));
            }
            sleepUntil(started, BURST);
            int calls = proxy.calls().size() - before;
            double seconds = Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
            proxy.faults().clear();
            long cleared = System.nanoTime();
            names.forEach(n -> awaitSettled(n, v, CONVERGE));
            long convergedMillis = Duration.ofNanos(System.nanoTime() - cleared).toMillis();
            double rate = calls / seconds;
            report.add(String.format(
                    "%s for %.1f s while %d MSDs released: %d AWS calls (%.1f/s, %.2f/s per MSD); all converged %d ms after AWS recovered",
                    kind, seconds, MSDS, calls, rate, rate / MSDS, convergedMillis));
            assertThat(rate / MSDS)
                    .as("AWS calls per second per MSD during " + kind + " (a hot loop makes hundreds)")
                    .isLessThanOrEqualTo(MAX_CALLS_PER_SECOND_PER_MSD);
        }
        report.forEach(r -> System.out.println(LOG + r));
        try (IamClient iam = AwsTestClients.iam();
                CloudWatchClient cloudWatch = AwsTestClients.cloudWatch()) {
            for (String n : names) {
                assertThat(roleExists(iam, n)).as(n + ": its role").isTrue();
                String prefix = AlarmNames.prefix(awsCluster, cluster.namespace, n);
                assertThat(alarms(cloudWatch, n).stream()
                                .map(a -> AlarmNames.revision(prefix, a).orElse(a))
                                .sorted()
                                .toList())
                        .as(n + ": one alarm per live revision (ReplicaSet), none left over")
                        .isEqualTo(revisions(n));
            }
        }
    }

    @Test
    void deletionWhileAwsIsDownWaitsAndCompletesWhenAwsIsBack() {
        create("d", 1, DeletionPolicy.Delete);
        awaitSettled("d", 1, CONVERGE);
        proxy.faults().serverError(FaultPlan.ANY, FaultPlan.ANY, FaultPlan.UNTIL_CLEARED);
        cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName("d")
                .delete();
        await("d: the failed cleanup reported")
                .atMost(Duration.ofSeconds(60))
                .until(() -> warnings("AwsCleanupFailed").stream()
                        .anyMatch(e -> e.getMessage().contains("ServiceUnavailable")));
        assertThat(msd("d")).as("the MSD waits for AWS").isNotNull();
        try (IamClient iam = AwsTestClients.iam();
                CloudWatchClient cloudWatch = AwsTestClients.cloudWatch()) {
            assertThat(roleExists(iam, "d")).as("its role, not yet deleted").isTrue();
            proxy.faults().clear();
            long back = System.nanoTime();
            await("d: deleted once AWS is back").atMost(CONVERGE).until(() -> msd("d") == null);
            System.out.println(LOG + "deletion completed "
                    + Duration.ofNanos(System.nanoTime() - back).toMillis() + " ms after AWS came back");
            assertThat(roleExists(iam, "d")).as("its role, deleted").isFalse();
            assertThat(alarms(cloudWatch, "d")).as("its alarms, deleted").isEmpty();
        }
    }

    @Test
    void withRetainTheMsdGoesWhileIamRefusesAndTheRoleStays() {
        create("r", 1, DeletionPolicy.Retain);
        awaitSettled("r", 1, CONVERGE);
        proxy.faults().serverError("iam", FaultPlan.ANY, FaultPlan.UNTIL_CLEARED);
        cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName("r")
                .delete();
        await("r: deleted without asking IAM").atMost(CONVERGE).until(() -> msd("r") == null);
        proxy.faults().clear();
        try (IamClient iam = AwsTestClients.iam();
                CloudWatchClient cloudWatch = AwsTestClients.cloudWatch()) {
            assertThat(roleExists(iam, "r")).as("the retained role").isTrue();
            assertThat(alarms(cloudWatch, "r")).as("its alarms, deleted").isEmpty();
            iam.listRolePolicies(q -> q.roleName(role("r")))
                    .policyNames()
                    .forEach(
                            p -> iam.deleteRolePolicy(q -> q.roleName(role("r")).policyName(p)));
            iam.listAttachedRolePolicies(q -> q.roleName(role("r")))
                    .attachedPolicies()
                    .forEach(
                            p -> iam.detachRolePolicy(q -> q.roleName(role("r")).policyArn(p.policyArn())));
            iam.deleteRole(q -> q.roleName(role("r")));
        }
    }

    @Test
    void aCleanupAwsRefusesForGoodSaysHowToLetGoAndTheWayOutDeletesNothing() {
        create("x", 1, DeletionPolicy.Delete);
        awaitSettled("x", 1, CONVERGE);
        proxy.faults().accessDenied("iam", FaultPlan.ANY, FaultPlan.UNTIL_CLEARED);
        proxy.faults().accessDenied("monitoring", "DeleteAlarms", FaultPlan.UNTIL_CLEARED);
        cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName("x")
                .delete();
        Condition stuck = await("x: a condition that names AccessDenied and the way out")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> condition("x", "AwsCleanup").orElse(null),
                        c -> c != null
                                && "False".equals(c.getStatus())
                                && c.getMessage().contains("AccessDenied")
                                && c.getMessage().contains(WAY_OUT));
        System.out.println(LOG + "stuck deletion says: " + stuck.getReason() + ": " + stuck.getMessage());
        edit("x", m -> m.getMetadata().getAnnotations().put(WAY_OUT, "true"));
        await("x: gone after the way out").atMost(CONVERGE).until(() -> msd("x") == null);
        proxy.faults().clear();
        try (IamClient iam = AwsTestClients.iam();
                CloudWatchClient cloudWatch = AwsTestClients.cloudWatch()) {
            assertThat(roleExists(iam, "x")).as("the role, left as it was").isTrue();
            assertThat(alarms(cloudWatch, "x")).as("its alarm, left as it was").hasSize(1);
            assertThat(warnings("AwsResourcesLeft").stream()
                            .anyMatch(e -> e.getMessage().contains(role("x"))))
                    .as("an Event naming what was left in AWS")
                    .isTrue();
        }
    }

    /** The annotation that lets an MSD go without deleting its AWS resources. */
    private static final String WAY_OUT = "blueshift.dev/leave-aws-resources";

    private enum FaultKind {
        THROTTLING(f -> f.throttle(FaultPlan.ANY, FaultPlan.ANY, FaultPlan.UNTIL_CLEARED)),
        SERVER_ERRORS(f -> f.serverError(FaultPlan.ANY, FaultPlan.ANY, FaultPlan.UNTIL_CLEARED)),
        SLOW(f -> f.slow(FaultPlan.ANY, FaultPlan.ANY, Duration.ofSeconds(20), FaultPlan.UNTIL_CLEARED));

        final Consumer<FaultPlan> inject;

        FaultKind(Consumer<FaultPlan> inject) {
            this.inject = inject;
        }
    }

    private void create(String name, int version, DeletionPolicy deletionPolicy) {
        MicroserviceDeployment aws = AwsMsds.withRoleAndAlarm(cluster.namespace, name);
        MicroserviceDeployment msd = Msds.blueGreen(cluster.namespace, name, 1, image(name, version));
        msd.getSpec().setAws(aws.getSpec().getAws());
        msd.getSpec().getAws().getIam().setDeletionPolicy(deletionPolicy);
        msd.getSpec().setRevisionHistoryLimit(1);
        var auto = new dev.blueshift.operator.api.v1alpha1.spec.AutoPromotion();
        auto.setEnabled(true);
        auto.setAfterSeconds(1);
        msd.getSpec().getStrategy().getBlueGreen().setAutoPromotion(auto);
        cluster.client.resource(cluster.claim(msd)).create();
    }

    private static String image(String name, int version) {
        return "registry.example/" + name + ":v" + version;
    }

    /** Healthy on the image of {@code version}, with its role and alarms ready. */
    private void awaitSettled(String name, int version, Duration atMost) {
        await(name + ": settled on v" + version)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> msd(name),
                        m -> m != null
                                && m.getStatus() != null
                                && m.getStatus().getPhase() == Phase.Healthy
                                && m.getMetadata()
                                        .getGeneration()
                                        .equals(m.getStatus().getObservedGeneration())
                                && image(name, version)
                                        .equals(m.getSpec()
                                                .getTemplate()
                                                .getSpec()
                                                .getContainers()
                                                .get(0)
                                                .getImage())
                                && m.getStatus().getActiveRevision() != null
                                && m.getStatus()
                                        .getActiveRevision()
                                        .equals(m.getStatus().getCurrentRevision())
                                && conditionTrue(m, "AwsIdentity")
                                && conditionTrue(m, "AwsAlarms"));
    }

    private static boolean conditionTrue(MicroserviceDeployment m, String type) {
        return m.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private Optional<Condition> awsCondition(String name) {
        return condition(name, "AwsIdentity")
                .filter(c -> !"True".equals(c.getStatus()))
                .or(() -> condition(name, "AwsAlarms"));
    }

    private Optional<Condition> condition(String name, String type) {
        MicroserviceDeployment m = msd(name);
        if (m == null || m.getStatus() == null || m.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return m.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private MicroserviceDeployment msd(String name) {
        return cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .get();
    }

    private List<Event> warnings(String reason) {
        return cluster.client.v1().events().inNamespace(cluster.namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    private String role(String name) {
        return RoleNames.of(awsCluster, cluster.namespace, name);
    }

    private boolean roleExists(IamClient iam, String name) {
        try {
            iam.getRole(r -> r.roleName(role(name)));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    private List<String> alarms(CloudWatchClient cloudWatch, String name) {
        String prefix = AlarmNames.prefix(awsCluster, cluster.namespace, name);
        return cloudWatch.describeAlarmsPaginator(r -> r.alarmNamePrefix(prefix)).metricAlarms().stream()
                .map(MetricAlarm::alarmName)
                .toList();
    }

    private List<String> revisions(String name) {
        return cluster
                .client
                .apps()
                .replicaSets()
                .inNamespace(cluster.namespace)
                .withLabel(WorkloadLabels.MSD, name)
                .list()
                .getItems()
                .stream()
                .map(rs -> rs.getMetadata().getLabels().get(WorkloadLabels.REVISION))
                .sorted()
                .toList();
    }

    private static void sleepUntil(long startedNanos, Duration length) {
        long left = startedNanos + length.toNanos() - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(left / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void edit(String name, Consumer<MicroserviceDeployment> change) {
        cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .edit(m -> {
                    change.accept(m);
                    return m;
                });
    }
}
