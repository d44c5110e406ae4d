package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.support.ActiveServiceInvariant;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.TestImage;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The invariant checker the blue/green tests rely on does catch a Service switched to no ready Pod. */
@Tag("cluster")
class ActiveServiceInvariantTest {
    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void reportsAServiceThatSelectsNoReadyPod() {
        LocalControlPlane.ensure();
        try (KubernetesClient client = LocalControlPlane.client();
                ActiveServiceInvariant invariant = new ActiveServiceInvariant(client, namespace.name(), "svc")) {
            client.apps()
                    .replicaSets()
                    .inNamespace(namespace.name())
                    .resource(new ReplicaSetBuilder()
                            .withNewMetadata()
                            .withName("blue")
                            .endMetadata()
                            .withNewSpec()
                            .withReplicas(1)
                            .withNewSelector()
                            .addToMatchLabels("colour", "blue")
                            .endSelector()
                            .withNewTemplate()
                            .withNewMetadata()
                            .addToLabels("colour", "blue")
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("app")
                            .withImage(TestImage.IMAGE)
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()
                            .build())
                    .create();
            client.services()
                    .inNamespace(namespace.name())
                    .resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("svc")
                            .endMetadata()
                            .withNewSpec()
                            .addToSelector("colour", "blue")
                            .addNewPort()
                            .withPort(80)
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var rs = client.apps()
                        .replicaSets()
                        .inNamespace(namespace.name())
                        .withName("blue")
                        .get();
                return rs.getStatus() != null
                        && Integer.valueOf(1).equals(rs.getStatus().getReadyReplicas());
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> invariant.violations().isEmpty() && invariant.eventCount() >= 3);

            client.services().inNamespace(namespace.name()).withName("svc").edit(s -> {
                s.getSpec().getSelector().put("colour", "green");
                return s;
            });

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(invariant.violations())
                            .singleElement()
                            .asString()
                            .contains("colour=green"));
        }
    }
}
