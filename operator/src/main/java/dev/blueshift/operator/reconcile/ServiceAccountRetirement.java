package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.kube.Ownership;
import dev.blueshift.operator.kube.RetiredServiceAccounts;
import dev.blueshift.operator.kube.WorkloadIdentity;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import dev.blueshift.operator.release.ObjectWriter;
import dev.blueshift.operator.release.ObservedState;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.List;
import java.util.Optional;

/** ServiceAccounts the MSD no longer runs as lose their role annotation, and go once no Pods use them. */
final class ServiceAccountRetirement {
    private ServiceAccountRetirement() {}

    static void retire(ObservedState observed, List<ServiceAccount> serviceAccounts, ObjectWriter writer) {
        MicroserviceDeployment msd = observed.msd();
        List<ServiceAccount> owned = serviceAccounts.stream()
                .filter(sa -> Ownership.isControlledBy(sa, msd))
                .toList();
        RetiredServiceAccounts.Plan plan = RetiredServiceAccounts.of(
                owned, WorkloadIdentity.serviceAccountName(msd), observed.deployment(), observed.replicaSets());
        plan.unannotate()
                .forEach(sa -> writer.apply(
                        WorkloadServiceAccountBuilder.build(
                                msd, sa.getMetadata().getName(), Optional.empty(), false),
                        Optional.of(sa)));
        plan.delete().forEach(writer::delete);
    }
}
