package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestImage;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The longest name the CRD admits is one the operator can build every object from: its preview
 * Service name is exactly 63 characters. (The names it refuses are in invalid-msds/.)
 */
@Tag("cluster")
class MsdNameAdmissionTest {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void aNameOfTheMaximumLengthIsAcceptedAndItsPreviewServiceNameIsAValidLabel() {
        String name = "a" + "-b".repeat(26) + "cd";
        assertThat(name).hasSize(MicroserviceDeployment.MAX_NAME_LENGTH);
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), name, 1, TestImage.IMAGE);

        MicroserviceDeployment created =
                client.resource(LocalControlPlane.unmanaged(msd)).create();

        assertThat(created.getMetadata().getName()).isEqualTo(name);
        assertThat(TrafficServiceBuilder.previewName(created)).hasSize(63).matches("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    }
}
