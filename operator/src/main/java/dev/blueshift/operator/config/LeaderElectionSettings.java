package dev.blueshift.operator.config;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Leader election for running several operator replicas (the Helm chart's default is 2): one
 * reconciles, the others wait on the Lease. Active in the prod profile only (QOSDK's default), so
 * tests run without it. The Lease lives in the operator's namespace, which the chart passes in
 * BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE; a local run sets it, or in a Pod the service
 * account's namespace is used ({@link LeaderElectionConfig}).
 *
 * <p>A leader that stops in order (SIGTERM: a rolling upgrade, a drained node) hands the Lease back
 * ({@link #releaseLease}), so the standby takes over within its retry period.
 *
 * <p>A replica that loses the Lease exits, so that it restarts and competes again. JOSDK's own
 * exit-on-stop-leading calls System.exit from inside the shutdown hook when the operator stops on
 * SIGTERM, and the JVM then deadlocks (seen with JOSDK 5.3.2: the Pod hangs until SIGKILL). So
 * the exit here is asynchronous and skipped when the operator is already shutting down.
 */
@Singleton
public class LeaderElectionSettings {
    private static final Logger LOG = Logger.getLogger(LeaderElectionSettings.class);

    /** How often the {@link LeaseFence}'s ticker beats; far below the gap it detects. */
    private static final long FENCE_TICK_MILLIS = 200;

    /**
     * Who this replica is in the Lease, as JOSDK would name it: its Pod's name (HOSTNAME), so that a
     * container restarted in its Pod takes its Lease back at once; a random one without.
     */
    private final String identity = Optional.ofNullable(System.getenv("HOSTNAME"))
            .filter(h -> !h.isBlank())
            .orElseGet(() -> UUID.randomUUID().toString());

    private volatile boolean shuttingDown;
    private final LeaseFence fence = new LeaseFence(
            System::nanoTime,
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE.minus(
                    LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE),
            this::frozenPastLease);

    /** The fence every write of a reconcile passes; armed once this replica leads. */
    @Produces
    @Singleton
    LeaseFence leaseFence() {
        Thread ticker = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        fence.tick();
                        try {
                            Thread.sleep(FENCE_TICK_MILLIS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "blueshift-lease-fence");
        ticker.setDaemon(true);
        ticker.start();
        return fence;
    }

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(LeaderElectionConfig config) {
        LeaderCallbacks callbacks = new LeaderCallbacks(fence::arm, this::lostLeadership, leader -> {});
        return new LeaderElectionConfiguration(
                config.leaseName(),
                config.leaseNamespace().orElse(null),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                identity,
                callbacks,
                false);
    }

    private void lostLeadership() {
        if (!shuttingDown) {
            LOG.error("This replica lost the leader Lease: exiting, to restart and compete for it again");
            Quarkus.asyncExit(1);
        }
    }

    private void frozenPastLease() {
        if (!shuttingDown) {
            LOG.error(
                    "This replica was frozen longer than it may trust its leader lease (fenced: it writes nothing more): exiting, to"
                            + " restart and compete for it again");
            Quarkus.asyncExit(1);
        }
    }

    /** Before QOSDK stops the operator (and with it the leader election), at the default priority. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown = true;
    }

    /**
     * After QOSDK stopped the operator (its reconciles ended): a leader hands the Lease back, so that
     * a standby takes over at its next try instead of when the Lease expires (15 s). JOSDK 5.3.2
     * never releases it (releaseOnCancel is false). Writes are refused first, then the Lease is
     * emptied only if it still names this replica, by an update that fails if it changed meanwhile.
     */
    void releaseLease(
            @Observes @Priority(5000) ShutdownEvent event, KubernetesClient client, LeaderElectionConfig config) {
        if (!fence.leading()) {
            return;
        }
        fence.retire();
        String namespace = config.leaseNamespace().orElse(client.getNamespace());
        // JOSDK closed the operator's client as it stopped: a client of its own, with the same configuration.
        try (KubernetesClient releasing = new KubernetesClientBuilder()
                .withConfig(client.getConfiguration())
                .build()) {
            Lease lease = releasing
                    .leases()
                    .inNamespace(namespace)
                    .withName(config.leaseName())
                    .get();
            if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            lease.getSpec().setHolderIdentity("");
            lease.getSpec().setLeaseDurationSeconds(1);
            releasing.leases().inNamespace(namespace).resource(lease).update();
            LOG.infof("released the leader Lease %s/%s", namespace, config.leaseName());
        } catch (KubernetesClientException e) {
            // It expires by itself; a standby takes over then.
            LOG.warnf("could not release the leader Lease %s/%s: %s", namespace, config.leaseName(), e.getMessage());
        }
    }
}
