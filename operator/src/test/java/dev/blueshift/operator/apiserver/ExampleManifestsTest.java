package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.RepoPaths;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object of every manifest in manifests/ is accepted by the real API server (a server-side
 * dry run, in a namespace of the test's): the examples stay true to the CRD.
 */
@Tag("cluster")
class ExampleManifestsTest {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    static Stream<Path> manifests() throws IOException {
        return Files.list(RepoPaths.root().resolve("manifests"))
                .filter(p -> p.toString().endsWith(".yaml"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void isAcceptedByTheApiServer(Path manifest) throws IOException {
        try (InputStream in = Files.newInputStream(manifest)) {
            for (HasMetadata object : client.load(in).items()) {
                if (object.getKind().equals("Namespace")) {
                    continue; // the objects are checked in the test's namespace instead
                }
                object.getMetadata().setNamespace(namespace.name());
                assertThatCode(() -> client.resource(object).dryRun().create())
                        .as(
                                "%s: %s %s",
                                manifest.getFileName(),
                                object.getKind(),
                                object.getMetadata().getName())
                        .doesNotThrowAnyException();
            }
        }
    }
}
