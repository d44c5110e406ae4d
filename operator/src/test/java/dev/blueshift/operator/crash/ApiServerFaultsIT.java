package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.blueshift.operator.reconcile.MicroserviceDeploymentReconciler;
import dev.blueshift.operator.support.KwokOnly;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API server fails under the operator while BlueGreen MSDs release, abort, roll back and are
 * deleted: it is crashed and restarted at those moments and at random ones ({@link
 * ApiServerRestarts}), and all along it answers a tenth of the operator's writes (owned objects
 * and MSD status) with 409 Conflict ({@link ConflictWebhook}). {@link ReleaseTorture} checks the
 * invariants of issue 12 throughout and the end state of every release. Needs the local control
 * plane (it restarts its API server); skipped with KUBECONFIG set.
 */
@Tag("process")
@KwokOnly
class ApiServerFaultsIT {
    private static final long SEED = Long.getLong("blueshift.crash.seed", new SecureRandom().nextLong());
    private static final int MSDS = Integer.getInteger("blueshift.apifaults.msds", 3);
    private static final int ROUNDS = Integer.getInteger("blueshift.apifaults.rounds", 4);
    private static final double CONFLICT_SHARE = 0.1;

    @Test
    void everyReleaseEndsAsAskedThroughApiServerRestartsAndConflicts() throws Exception {
        assumeTrue(
                System.getenv("KUBECONFIG") == null,
                "restarts the local control plane's kube-apiserver; KUBECONFIG points at a cluster it must not restart");
        try (ConflictWebhook conflicts =
                new ConflictWebhook(CONFLICT_SHARE, MicroserviceDeploymentReconciler.NAME, new Random(SEED))) {
            ReleaseTorture torture = new ReleaseTorture(
                    "[api-faults] ", "apifaults", SEED, MSDS, ROUNDS, Map.of(), (operator, cluster, random) -> {
                        conflicts.register(cluster.namespace);
                        return new ApiServerRestarts(operator, random, cluster.client, cluster.namespace);
                    });
            ApiServerRestarts restarts = torture.run(ApiServerRestarts.class, 3);
            System.out.println("[api-faults] " + conflicts.report());
            Map<String, Integer> injected = conflicts.injected();
            assertThat(injected.getOrDefault("microservicedeployments/status", 0))
                    .as("409s injected on status writes")
                    .isPositive();
            assertThat(injected.getOrDefault("replicasets", 0) + injected.getOrDefault("services", 0))
                    .as("409s injected on owned-object writes")
                    .isPositive();
            assertThat(restarts.count()).as("API server restarts").isGreaterThanOrEqualTo(3);
        }
    }
}
