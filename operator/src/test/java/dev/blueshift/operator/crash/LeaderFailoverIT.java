package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.AutoPromotion;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.bluegreen.Commands;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.Msds;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two packaged operators with leader election (prod profile, the Lease in the test's namespace),
 * as the Helm chart's two replicas run. Prints how long a standby takes over when the leader is
 * killed, and checks that a leader stopped (SIGSTOP) past its lease, then continued, never undoes
 * what its successor decided meanwhile.
 */
@Tag("process")
@KwokOnly
class LeaderFailoverIT {
    private static final String LEASE = "blueshift-operator";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String LOG = "[leader] ";
    private static final int STOP_TRIALS = Integer.getInteger("blueshift.crash.stop-trials", 2);
    /** MSDs with work pending when the leader stops: each a chance for a stale reconcile on SIGCONT. */
    private static final int STOPPED_MSDS = 4;

    @Test
    void aStandbyTakesOverWhenTheLeaderIsKilled() throws Exception {
        try (CrashCluster cluster = new CrashCluster("bs-failover")) {
            Map<String, String> settings = cluster.operatorSettings();
            try (OperatorProcess a = new OperatorProcess("a-" + cluster.namespace, settings);
                    OperatorProcess b = new OperatorProcess("b-" + cluster.namespace, settings)) {
                a.start();
                awaitHolder(cluster, a.identity());
                b.start();
                awaitStarted(b);
                cluster.client
                        .resource(cluster.claim(msd(cluster.namespace, "app", 1, 1)))
                        .create();
                awaitStatus(cluster, "app", "first release", s -> s.getPhase() == Phase.Healthy);

                long killed = System.nanoTime();
                a.kill();
                setImage(cluster, "app", 2);
                long generation = msd(cluster, "app").getMetadata().getGeneration();
                awaitHolder(cluster, b.identity());
                double leaseTaken = seconds(killed);
                awaitStatus(
                        cluster,
                        "app",
                        "the new leader's first reconcile",
                        s -> Objects.equals(s.getObservedGeneration(), generation));
                double reconciled = seconds(killed);
                MicroserviceDeployment done = awaitStatus(
                        cluster,
                        "app",
                        "the release",
                        s -> s.getPhase() == Phase.Healthy
                                && Objects.equals(s.getObservedGeneration(), generation)
                                && s.getCurrentRevision().equals(s.getStableRevision()));
                double released = seconds(killed);
                System.out.printf(
                        "%shandover after kill -9 of the leader: Lease taken by the standby after %.1f s, its first reconcile"
                                + " after %.1f s, the release (preview, auto-promotion after 1 s, switch) done after %.1f s; lease duration 15 s%n",
                        LOG, leaseTaken, reconciled, released);
                assertThat(done.getStatus().getActiveRevision())
                        .isEqualTo(done.getStatus().getCurrentRevision());
            }
        }
    }

    /**
     * The leader is paused (SIGSTOP) while releases wait for their promotion, longer than its lease;
     * the standby takes over, the user promotes, the new leader switches the active Services and
     * scales the old revisions down, and then has nothing left to do. Then the old leader runs again
     * with everything it knew (its caches, its timers, reconciles it was in the middle of): it must
     * write nothing (every change recorded after SIGCONT is counted), undo nothing, and exit.
     */
    @Test
    void aLeaderStoppedPastItsLeaseNeverUndoesItsSuccessor() throws Exception {
        List<String> undone = new ArrayList<>();
        List<String> staleWrites = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (int trial = 1; trial <= STOP_TRIALS; trial++) {
            String label = "trial " + trial + ": ";
            try (CrashCluster cluster = new CrashCluster("bs-stopped")) {
                Map<String, String> settings = cluster.operatorSettings();
                ReleaseInvariants watcher = new ReleaseInvariants(cluster.client, cluster.namespace);
                try (OperatorProcess old = new OperatorProcess("old-" + cluster.namespace, settings);
                        OperatorProcess next = new OperatorProcess("next-" + cluster.namespace, settings)) {
                    old.start();
                    awaitHolder(cluster, old.identity());
                    next.start();
                    awaitStarted(next);
                    Map<String, String> first = new java.util.TreeMap<>();
                    Map<String, String> second = new java.util.TreeMap<>();
                    for (int i = 0; i < STOPPED_MSDS; i++) {
                        cluster.client
                                .resource(cluster.claim(msd(cluster.namespace, "app" + i, 1, 20)))
                                .create();
                    }
                    for (int i = 0; i < STOPPED_MSDS; i++) {
                        String name = "app" + i;
                        first.put(
                                name,
                                awaitStatus(cluster, name, "first release", s -> s.getPhase() == Phase.Healthy)
                                        .getStatus()
                                        .getStableRevision());
                        setImage(cluster, name, 2);
                    }
                    for (int i = 0; i < STOPPED_MSDS; i++) {
                        String name = "app" + i;
                        String r1 = first.get(name);
                        second.put(
                                name,
                                awaitStatus(
                                                cluster,
                                                name,
                                                "preview of the new revision",
                                                s -> s.getPhase() == Phase.Paused && !r1.equals(s.getCurrentRevision()))
                                        .getStatus()
                                        .getCurrentRevision());
                    }

                    old.signal("STOP");
                    long stopped = System.nanoTime();
                    awaitHolder(cluster, next.identity());
                    double takeover = seconds(stopped);
                    for (int i = 0; i < STOPPED_MSDS; i++) {
                        command(cluster, "app" + i, Commands.PROMOTE);
                    }
                    for (int i = 0; i < STOPPED_MSDS; i++) {
                        String name = "app" + i;
                        String r2 = second.get(name);
                        awaitStatus(
                                cluster,
                                name,
                                "promotion by the new leader",
                                s -> s.getPhase() == Phase.Healthy
                                        && r2.equals(s.getStableRevision())
                                        && r2.equals(s.getActiveRevision()));
                        await("old revision scaled down")
                                .atMost(TIMEOUT)
                                .until(() -> replicas(cluster, name, first.get(name)) == 0);
                    }
                    // The new leader has nothing left to do: from here on, every change is the old leader's (or an
                    // answer to it).
                    long quietFrom = quiet(cluster, watcher);
                    double stoppedFor = seconds(stopped);

                    old.signal("CONT");
                    boolean exited = old.awaitExit(Duration.ofSeconds(30));
                    Thread.sleep(5000);
                    List<String> after = watcher.changesAfter(quietFrom);
                    System.out.printf(
                            "%s%sold leader stopped %.1f s (the standby held the Lease after %.1f s); after SIGCONT it %s; changes"
                                    + " recorded after SIGCONT: %d%n",
                            LOG,
                            label,
                            stoppedFor,
                            takeover,
                            exited ? "exited with code " + old.exitValue() : "did NOT exit",
                            after.size());
                    after.forEach(c -> System.out.println(LOG + "  " + c));
                    old.logLines("fenced").forEach(l -> System.out.println(LOG + "  old leader: " + l));
                    after.forEach(c -> staleWrites.add(label + c));
                    if (!exited) {
                        undone.add(label + "the old leader did not exit");
                    }
                    for (int i = 0; i < STOPPED_MSDS; i++) {
                        String name = "app" + i;
                        String r2 = second.get(name);
                        List<String> selected =
                                watcher.history(Service.class, name, ReleaseInvariants::selectedRevision);
                        List<String> stable = watcher.history(
                                MicroserviceDeployment.class,
                                name,
                                m -> m.getStatus() == null
                                        ? null
                                        : m.getStatus().getStableRevision());
                        List<String> oldReplicas = watcher.history(
                                ReplicaSet.class,
                                name + "-" + first.get(name),
                                rs -> String.valueOf(rs.getSpec().getReplicas()));
                        if (afterLast(selected, r2)
                                || afterLast(stable, r2)
                                || !last(oldReplicas).equals("0")) {
                            undone.add(
                                    label + name + ": active Service revisions " + selected + "; status.stableRevision "
                                            + stable + "; replicas of " + first.get(name) + " " + oldReplicas);
                        }
                        MicroserviceDeployment end = msd(cluster, name);
                        if (end.getStatus().getPhase() != Phase.Healthy
                                || !r2.equals(end.getStatus().getActiveRevision())) {
                            undone.add(label + name + ": end state " + Serialization.asJson(end.getStatus()));
                        }
                    }
                    watcher.violations().forEach(v -> violations.add(label + v));
                } finally {
                    watcher.close();
                }
            }
        }
        System.out.println(LOG + "stopped-leader trials " + STOP_TRIALS + " x " + STOPPED_MSDS
                + " MSDs: writes after SIGCONT " + staleWrites.size() + ", undone decisions " + undone.size()
                + ", invariant violations " + violations.size());
        assertThat(undone)
                .as("decisions of the new leader undone by the old one")
                .isEmpty();
        assertThat(staleWrites)
                .as("writes of the old leader after it was continued")
                .isEmpty();
        assertThat(violations).as("invariant violations").isEmpty();
    }

    /** Waits until nothing in the namespace changed for 3 s; returns the last resourceVersion seen. */
    private static long quiet(CrashCluster cluster, ReleaseInvariants watcher) throws InterruptedException {
        int seen = -1;
        for (int i = 0; i < 60; i++) {
            int now = watcher.eventCount();
            if (now == seen) {
                break;
            }
            seen = now;
            Thread.sleep(3000);
        }
        return Long.parseLong(cluster.client
                .apps()
                .replicaSets()
                .inNamespace(cluster.namespace)
                .list()
                .getMetadata()
                .getResourceVersion());
    }

    /** True when the history, having reached {@code value}, later shows something else. */
    private static boolean afterLast(List<String> history, String value) {
        int first = history.indexOf(value);
        return first >= 0 && history.subList(first, history.size()).stream().anyMatch(v -> !v.equals(value));
    }

    private static String last(List<String> history) {
        return history.isEmpty() ? "" : history.get(history.size() - 1);
    }

    private static MicroserviceDeployment msd(String namespace, String name, int version, int autoPromoteAfter) {
        MicroserviceDeployment msd = Msds.blueGreen(namespace, name, 2, "registry.example/" + name + ":v" + version);
        AutoPromotion auto = new AutoPromotion();
        auto.setEnabled(true);
        auto.setAfterSeconds(autoPromoteAfter);
        msd.getSpec().getStrategy().getBlueGreen().setAutoPromotion(auto);
        msd.getSpec().getStrategy().getBlueGreen().setPreviewReplicaCount(1);
        return msd;
    }

    private static MicroserviceDeployment msd(CrashCluster cluster, String name) {
        return cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .get();
    }

    private static void setImage(CrashCluster cluster, String name, int version) {
        cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example/"
                                + name + ":v" + version + "\"}]");
    }

    private static void command(CrashCluster cluster, String name, String annotation) {
        cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + System.nanoTime() + "\"}}}");
    }

    private static int replicas(CrashCluster cluster, String name, String revision) {
        ReplicaSet rs = cluster.client
                .apps()
                .replicaSets()
                .inNamespace(cluster.namespace)
                .withName(name + "-" + revision)
                .get();
        return rs == null ? 0 : rs.getSpec().getReplicas();
    }

    private static MicroserviceDeployment awaitStatus(
            CrashCluster cluster, String name, String what, Predicate<MicroserviceDeploymentStatus> ok) {
        return await(name + ": " + what)
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> msd(cluster, name), m -> m != null && m.getStatus() != null && ok.test(m.getStatus()));
    }

    private static void awaitHolder(CrashCluster cluster, String identity) {
        await("Lease held by " + identity)
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Lease lease = cluster.client
                            .resources(Lease.class)
                            .inNamespace(cluster.namespace)
                            .withName(LEASE)
                            .get();
                    return lease != null && identity.equals(lease.getSpec().getHolderIdentity());
                });
    }

    /** Up, and competing for the Lease. */
    private static void awaitStarted(OperatorProcess process) {
        await(process.identity() + " started")
                .atMost(TIMEOUT)
                .until(() -> !process.logLines(" started in ").isEmpty());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
