package dev.blueshift.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.aws.AwsMsds;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.List;
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
    void anExistingServiceAccountHoldsTheDesiredOneOnlyWhenLabelsOwnerAndBothIrsaAnnotationsAgree() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm("shop", "cart");
        Optional<String> arn = Optional.of("arn:aws:iam::1:role/r");
        ServiceAccount desired = WorkloadServiceAccountBuilder.build(msd, "cart", arn, true);

        ServiceAccount same = WorkloadServiceAccountBuilder.build(msd, "cart", arn, true);
        same.getMetadata().getLabels().put("team", "shop"); // someone else's label: still ours as we set it
        same.getMetadata().getAnnotations().put("note", "x");
        assertThat(WorkloadServiceAccountBuilder.holds(same, desired)).isTrue();

        assertThat(WorkloadServiceAccountBuilder.holds(
                        WorkloadServiceAccountBuilder.build(msd, "cart", Optional.of("arn:aws:iam::1:role/old"), true),
                        desired))
                .as("another role")
                .isFalse();
        assertThat(WorkloadServiceAccountBuilder.holds(
                        WorkloadServiceAccountBuilder.build(msd, "cart", arn, false), desired))
                .as("regional STS annotation missing")
                .isFalse();
        assertThat(WorkloadServiceAccountBuilder.holds(
                        desired, WorkloadServiceAccountBuilder.build(msd, "cart", Optional.empty(), false)))
                .as("annotations to remove")
                .isFalse();
        ServiceAccount unlabelled = WorkloadServiceAccountBuilder.build(msd, "cart", arn, true);
        unlabelled.getMetadata().getLabels().clear();
        assertThat(WorkloadServiceAccountBuilder.holds(unlabelled, desired))
                .as("our labels gone")
                .isFalse();
        ServiceAccount orphan = WorkloadServiceAccountBuilder.build(msd, "cart", arn, true);
        orphan.getMetadata().setOwnerReferences(List.of());
        assertThat(WorkloadServiceAccountBuilder.holds(orphan, desired))
                .as("owner reference gone")
                .isFalse();
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
