package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.AutoPromotion;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.bluegreen.Commands;
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
class LeaderFailoverIT {
  private static final String LEASE = "blueshift-operator";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String LOG = "[leader] ";
  private static final int STOP_TRIALS = Integer.getInteger("blueshift.crash.stop-trials", 2);

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
        cluster.client.resource(cluster.claim(msd(cluster.namespace, 1, 1))).create();
        awaitStatus(cluster, "first release", s -> s.getPhase() == Phase.Healthy);

        long killed = System.nanoTime();
        a.kill();
        setImage(cluster, 2);
        long generation = msd(cluster).getMetadata().getGeneration();
        awaitHolder(cluster, b.identity());
        double leaseTaken = seconds(killed);
        awaitStatus(cluster, "the new leader's first reconcile", s -> Objects.equals(s.getObservedGeneration(), generation));
        double reconciled = seconds(killed);
        MicroserviceDeployment done = awaitStatus(cluster, "the release", s -> s.getPhase() == Phase.Healthy
            && Objects.equals(s.getObservedGeneration(), generation) && s.getCurrentRevision().equals(s.getStableRevision()));
        double released = seconds(killed);
        System.out.printf("%shandover after kill -9 of the leader: Lease taken by the standby after %.1f s, its first reconcile"
            + " after %.1f s, the release (preview, auto-promotion after 1 s, switch) done after %.1f s; lease duration 15 s%n",
            LOG, leaseTaken, reconciled, released);
        assertThat(done.getStatus().getActiveRevision()).isEqualTo(done.getStatus().getCurrentRevision());
      }
    }
  }

  /**
   * The leader is paused (SIGSTOP) while a release waits for its promotion, longer than its lease;
   * the standby takes over, the user promotes, the new leader switches the active Service and
   * scales the old revision down. Then the old leader runs again with everything it knew (its
   * caches, its timers): it must write nothing that undoes that, and exit.
   */
  @Test
  void aLeaderStoppedPastItsLeaseNeverUndoesItsSuccessor() throws Exception {
    List<String> undone = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    for (int trial = 1; trial <= STOP_TRIALS; trial++) {
      try (CrashCluster cluster = new CrashCluster("bs-stopped")) {
        Map<String, String> settings = cluster.operatorSettings();
        ReleaseInvariants watcher = new ReleaseInvariants(cluster.client, cluster.namespace);
        try (OperatorProcess old = new OperatorProcess("old-" + cluster.namespace, settings);
            OperatorProcess next = new OperatorProcess("next-" + cluster.namespace, settings)) {
          old.start();
          awaitHolder(cluster, old.identity());
          next.start();
          awaitStarted(next);
          cluster.client.resource(cluster.claim(msd(cluster.namespace, 1, 20))).create();
          String r1 = awaitStatus(cluster, "first release", s -> s.getPhase() == Phase.Healthy).getStatus().getStableRevision();
          setImage(cluster, 2);
          String r2 = awaitStatus(cluster, "preview of the new revision", s -> s.getPhase() == Phase.Paused
              && !r1.equals(s.getCurrentRevision())).getStatus().getCurrentRevision();

          old.signal("STOP");
          long stopped = System.nanoTime();
          awaitHolder(cluster, next.identity());
          double takeover = seconds(stopped);
          command(cluster, Commands.PROMOTE);
          awaitStatus(cluster, "promotion by the new leader", s -> s.getPhase() == Phase.Healthy && r2.equals(s.getStableRevision())
              && r2.equals(s.getActiveRevision()));
          await("old revision scaled down").atMost(TIMEOUT).until(() -> replicas(cluster, r1) == 0);
          double stoppedFor = seconds(stopped);

          old.signal("CONT");
          boolean exited = old.awaitExit(Duration.ofSeconds(30));
          // Time for any write the old leader sent, and for the new leader to react to it.
          Thread.sleep(5000);
          List<String> selected = watcher.history(Service.class, "app", ReleaseInvariants::selectedRevision);
          List<String> stable = watcher.history(MicroserviceDeployment.class, "app",
              m -> m.getStatus() == null ? null : m.getStatus().getStableRevision());
          List<String> oldReplicas = watcher.history(ReplicaSet.class, "app-" + r1, rs -> String.valueOf(rs.getSpec().getReplicas()));
          String trialReport = "trial " + trial + ": old leader stopped " + String.format("%.1f", stoppedFor) + " s (standby held the Lease after "
              + String.format("%.1f", takeover) + " s); after SIGCONT it " + (exited ? "exited with code " + old.exitValue() : "did NOT exit")
              + "; active Service revisions " + selected + "; status.stableRevision " + stable + "; replicas of " + r1 + " " + oldReplicas;
          System.out.println(LOG + trialReport);
          if (!exited) {
            undone.add(trialReport);
          }
          if (afterLast(selected, r2) || afterLast(stable, r2) || !last(oldReplicas).equals("0")) {
            undone.add(trialReport);
          }
          MicroserviceDeployment end = msd(cluster);
          if (end.getStatus().getPhase() != Phase.Healthy || !r2.equals(end.getStatus().getActiveRevision())) {
            undone.add("trial " + trial + ": end state " + Serialization.asJson(end.getStatus()));
          }
          String label = "trial " + trial + ": ";
          watcher.violations().forEach(v -> violations.add(label + v));
        } finally {
          watcher.close();
        }
      }
    }
    System.out.println(LOG + "stopped-leader trials " + STOP_TRIALS + ", undone decisions " + undone.size() + ", invariant violations "
        + violations.size());
    assertThat(undone).as("decisions of the new leader undone by the old one").isEmpty();
    assertThat(violations).as("invariant violations").isEmpty();
  }

  /** True when the history, having reached {@code value}, later shows something else. */
  private static boolean afterLast(List<String> history, String value) {
    int first = history.indexOf(value);
    return first >= 0 && history.subList(first, history.size()).stream().anyMatch(v -> !v.equals(value));
  }

  private static String last(List<String> history) {
    return history.isEmpty() ? "" : history.get(history.size() - 1);
  }

  private static MicroserviceDeployment msd(String namespace, int version, int autoPromoteAfter) {
    MicroserviceDeployment msd = Msds.blueGreen(namespace, "app", 2, "registry.example/app:v" + version);
    AutoPromotion auto = new AutoPromotion();
    auto.setEnabled(true);
    auto.setAfterSeconds(autoPromoteAfter);
    msd.getSpec().getStrategy().getBlueGreen().setAutoPromotion(auto);
    msd.getSpec().getStrategy().getBlueGreen().setPreviewReplicaCount(1);
    return msd;
  }

  private static MicroserviceDeployment msd(CrashCluster cluster) {
    return cluster.client.resources(MicroserviceDeployment.class).inNamespace(cluster.namespace).withName("app").get();
  }

  private static void setImage(CrashCluster cluster, int version) {
    cluster.client.resources(MicroserviceDeployment.class).inNamespace(cluster.namespace).withName("app").patch(
        PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example/app:v"
            + version + "\"}]");
  }

  private static void command(CrashCluster cluster, String annotation) {
    cluster.client.resources(MicroserviceDeployment.class).inNamespace(cluster.namespace).withName("app")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + System.nanoTime() + "\"}}}");
  }

  private static int replicas(CrashCluster cluster, String revision) {
    ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(cluster.namespace).withName("app-" + revision).get();
    return rs == null ? 0 : rs.getSpec().getReplicas();
  }

  private static MicroserviceDeployment awaitStatus(CrashCluster cluster, String what, Predicate<MicroserviceDeploymentStatus> ok) {
    return await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> msd(cluster), m -> m != null && m.getStatus() != null && ok.test(m.getStatus()));
  }

  private static void awaitHolder(CrashCluster cluster, String identity) {
    await("Lease held by " + identity).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Lease lease = cluster.client.resources(Lease.class).inNamespace(cluster.namespace).withName(LEASE).get();
      return lease != null && identity.equals(lease.getSpec().getHolderIdentity());
    });
  }

  /** Up, and competing for the Lease. */
  private static void awaitStarted(OperatorProcess process) {
    await(process.identity() + " started").atMost(TIMEOUT).until(() -> !process.logLines(" started in ").isEmpty());
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
