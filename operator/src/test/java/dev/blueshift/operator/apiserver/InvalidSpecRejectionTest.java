package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest in src/test/resources/invalid-msds is rejected by the real API server at
 * admission, with the message its first line ("# expect: ...") names. No operator involved: the
 * CRD's schema and CEL rules do this.
 */
@Tag("cluster")
class InvalidSpecRejectionTest {
    private static final Path CORPUS = Path.of("src/test/resources/invalid-msds");
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    static Stream<Path> invalidManifests() throws IOException {
        return Files.list(CORPUS).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void apiServerRejectsWithAMessageNamingTheField(Path manifest) throws IOException {
        String text = Files.readString(manifest);
        String expected = text.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");
        GenericKubernetesResource msd =
                client.getKubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);
        msd.getMetadata().setNamespace(namespace.name());

        KubernetesClientException rejection = catchThrowableOfType(
                KubernetesClientException.class, () -> client.resource(msd).create());

        assertThat(rejection).as("%s must be rejected", manifest.getFileName()).isNotNull();
        assertThat(rejection.getCode()).isEqualTo(422);
        assertThat(rejection.getStatus().getMessage()).contains(expected);
    }
}
