package dev.blueshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.release.ObservedState;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestImage;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceAccountWaitersTest {
    @Test
    void onlyReplicaSetsThatRunAsTheServiceAccountAndLackPodsWaitForIt() {
        List<ReplicaSet> replicaSets = List.of(
                rs("refused", "cart", 2, 0),
                rs("no-status-yet", "cart", 2, null),
                rs("running", "cart", 2, 2),
                rs("scaled-down", "cart", 0, 0),
                rs("other-account", "default", 2, 0));
        ObservedState observed = new ObservedState(
                Msds.blueGreen("shop", "cart", 2, TestImage.IMAGE),
                Optional.empty(),
                replicaSets,
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Map.of());

        assertThat(ServiceAccountWaiters.of("cart", observed))
                .extracting(r -> r.getMetadata().getName())
                .containsExactly("refused", "no-status-yet");
    }

    private static ReplicaSet rs(String name, String serviceAccount, int replicas, Integer created) {
        ReplicaSetBuilder builder = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewTemplate()
                .withNewSpec()
                .withServiceAccountName(serviceAccount)
                .endSpec()
                .endTemplate()
                .endSpec();
        if (created != null) {
            builder.withNewStatus().withReplicas(created).endStatus();
        }
        return builder.build();
    }
}
