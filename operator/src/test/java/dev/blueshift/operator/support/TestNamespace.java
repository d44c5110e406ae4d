package dev.blueshift.operator.support;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh namespace for each test, deleted afterwards. Register with @RegisterExtension. */
public class TestNamespace implements BeforeEachCallback, AfterEachCallback {
    private KubernetesClient client;
    private String name;

    public String name() {
        return name;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LocalControlPlane.ensure();
        if (client == null) {
            client = LocalControlPlane.client();
        }
        String test = context.getRequiredTestMethod()
                .getName()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
        name = "bs-" + test.substring(0, Math.min(40, test.length())) + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("blueshift.dev/test", "true")
                        .endMetadata()
                        .build())
                .create();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // MSDs carry the operator's finalizer: let the operator under test, still running, remove
        // them (and their AWS resources) first, so that no namespace is left stuck Terminating.
        var msds = client.resources(dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment.class)
                .inNamespace(name);
        msds.delete();
        try {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> msds.list().getItems().stream()
                            .allMatch(m -> m.getMetadata().getFinalizers().isEmpty()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // An MSD no operator of this run reconciles keeps its finalizer; the namespace goes on deleting.
        }
        client.namespaces().withName(name).delete();
    }
}
