package dev.blueshift.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.aws.AwsMsds;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadServiceAccountBuilderTest {
    @Test
    void theServiceAccountCarriesTheRoleArnAndTheRegionalStsAnnotationAndIsOwnedByTheMsd() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm("shop", "cart");

        ServiceAccount sa =
                WorkloadServiceAccountBuilder.build(msd, "cart", Optional.of("arn:aws:iam::1:role/r"), true);

        assertThat(sa.getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/r")
                .containsEntry("eks.amazonaws.com/sts-regional-endpoints", "true");
        assertThat(sa.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(ref -> assertThat(ref.getController()).isTrue());
        assertThat(sa.getMetadata().getLabels()).containsEntry(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER);
    }

    @Test
    void withoutAKnownRoleThereIsNoRoleAnnotation() {
        ServiceAccount sa = WorkloadServiceAccountBuilder.build(
                AwsMsds.withRoleAndAlarm("shop", "cart"), "cart", Optional.empty(), false);
        assertThat(sa.getMetadata().getAnnotations()).isEmpty();
    }

    @Test
    void podsRunAsTheMsdsServiceAccountUnlessTheTemplateNamesOne() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm("shop", "cart");
        assertThat(RollingDeploymentBuilder.build(msd, "")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName())
                .isEqualTo("cart");

        msd.getSpec().getTemplate().getSpec().setServiceAccountName("cart-runtime");
        assertThat(WorkloadIdentity.serviceAccountName(msd)).contains("cart-runtime");
        assertThat(RollingDeploymentBuilder.build(msd, "")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName())
                .isEqualTo("cart-runtime");
    }

    @Test
    void withoutAnIamRoleThePodTemplateIsLeftAsTheUserWroteIt() {
        MicroserviceDeployment msd = Msds.rolling("shop", "cart", 1, "x:1");
        assertThat(WorkloadIdentity.serviceAccountName(msd)).isEmpty();
        assertThat(RollingDeploymentBuilder.build(msd, "")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName())
                .isNull();
    }
}
