package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.TestNamespace;
import dev.blueshift.operator.support.aws.AwsMsds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rules on spec.aws that only an update can break, checked by the real API server (CEL transition rules). */
@Tag("cluster")
class AwsSpecUpdateRulesTest {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void theRolePathCannotBeChangedOnceSetButEverythingElseCan() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "cart");
        msd.getMetadata().setUid(null);
        msd.getMetadata().setGeneration(null);
        msd.getSpec().getAws().getIam().setPath("/blueshift/");
        client.resource(LocalControlPlane.unmanaged(msd)).create();
        var resource = client.resources(MicroserviceDeployment.class)
                .inNamespace(namespace.name())
                .withName("cart");

        KubernetesClientException rejection = catchThrowableOfType(
                KubernetesClientException.class,
                () -> resource.edit(m -> {
                    m.getSpec().getAws().getIam().setPath("/elsewhere/");
                    return m;
                }));

        assertThat(rejection).isNotNull();
        assertThat(rejection.getCode()).isEqualTo(422);
        assertThat(rejection.getStatus().getMessage()).contains("spec.aws.iam.path", "cannot be changed once set");
        MicroserviceDeployment edited = resource.edit(m -> {
            m.getSpec().getAws().getIam().setMaxSessionDuration(7200);
            return m;
        });
        assertThat(edited.getSpec().getAws().getIam().getMaxSessionDuration()).isEqualTo(7200);
        assertThat(edited.getSpec().getAws().getIam().getDeletionPolicy().name())
                .as("defaulted by the schema")
                .isEqualTo("Delete");
    }
}
