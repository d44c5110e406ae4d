package dev.blueshift.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetiredServiceAccountsTest {
    final ServiceAccount oldSa = sa("cart", true);
    final ServiceAccount newSa = sa("cart-runtime", true);

    @Test
    void theCurrentServiceAccountIsNeverRetired() {
        RetiredServiceAccounts.Plan plan =
                RetiredServiceAccounts.of(List.of(newSa), Optional.of("cart-runtime"), Optional.empty(), List.of());
        assertThat(plan.unannotate()).isEmpty();
        assertThat(plan.delete()).isEmpty();
    }

    @Test
    void aRetiredServiceAccountStillRunningPodsLosesItsRoleAnnotationAndStays() {
        RetiredServiceAccounts.Plan plan = RetiredServiceAccounts.of(
                List.of(oldSa, newSa),
                Optional.of("cart-runtime"),
                Optional.empty(),
                List.of(replicaSet("cart", 2), replicaSet("cart-runtime", 1)));
        assertThat(plan.unannotate()).containsExactly(oldSa);
        assertThat(plan.delete()).isEmpty();
    }

    @Test
    void aRetiredServiceAccountNoPodUsesGoes() {
        RetiredServiceAccounts.Plan plan = RetiredServiceAccounts.of(
                List.of(oldSa, newSa), Optional.of("cart-runtime"), Optional.empty(), List.of(replicaSet("cart", 0)));
        assertThat(plan.delete()).containsExactly(oldSa);
    }

    @Test
    void whenTheRoleIsRemovedEveryOwnedServiceAccountIsRetired() {
        ServiceAccount unannotated = sa("cart", false);
        RetiredServiceAccounts.Plan plan = RetiredServiceAccounts.of(
                List.of(unannotated), Optional.empty(), Optional.empty(), List.of(replicaSet("cart", 3)));
        assertThat(plan.unannotate()).as("already without annotation").isEmpty();
        assertThat(plan.delete()).isEmpty();
    }

    private static ServiceAccount sa(String name, boolean annotated) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withAnnotations(
                        annotated ? Map.of(WorkloadServiceAccountBuilder.ROLE_ARN, "arn:aws:iam::1:role/x") : Map.of())
                .endMetadata()
                .build();
    }

    private static ReplicaSet replicaSet(String serviceAccount, int replicas) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("rs-" + serviceAccount)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewTemplate()
                .withNewSpec()
                .withServiceAccountName(serviceAccount)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
