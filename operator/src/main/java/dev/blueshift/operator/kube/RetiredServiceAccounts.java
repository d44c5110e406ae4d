package dev.blueshift.operator.kube;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * ServiceAccounts an MSD owns but no longer runs as (its role was removed, or the template names
 * another one): each loses its role annotation at once, and goes once no Pod-bearing ReplicaSet
 * or Deployment of the MSD still names it. Pure.
 */
public final class RetiredServiceAccounts {
    /** What to do with the retired ServiceAccounts. */
    public record Plan(List<ServiceAccount> unannotate, List<ServiceAccount> delete) {}

    private RetiredServiceAccounts() {}

    /**
     * @param owned the ServiceAccounts the MSD controls
     * @param current the one its Pods should run as now, if any
     */
    public static Plan of(
            List<ServiceAccount> owned,
            Optional<String> current,
            Optional<Deployment> deployment,
            List<ReplicaSet> replicaSets) {
        Set<String> inUse = new TreeSet<>();
        deployment
                .map(d -> d.getSpec().getTemplate())
                .flatMap(RetiredServiceAccounts::serviceAccount)
                .ifPresent(inUse::add);
        replicaSets.stream()
                .filter(rs -> rs.getSpec().getReplicas() == null
                        || rs.getSpec().getReplicas() > 0
                        || (rs.getStatus() != null
                                && rs.getStatus().getReplicas() != null
                                && rs.getStatus().getReplicas() > 0))
                .map(rs -> rs.getSpec().getTemplate())
                .map(RetiredServiceAccounts::serviceAccount)
                .flatMap(Optional::stream)
                .forEach(inUse::add);
        List<ServiceAccount> retired = owned.stream()
                .filter(sa -> !current.equals(Optional.of(sa.getMetadata().getName())))
                .toList();
        return new Plan(
                retired.stream()
                        .filter(sa -> inUse.contains(sa.getMetadata().getName()) && annotated(sa))
                        .toList(),
                retired.stream()
                        .filter(sa -> !inUse.contains(sa.getMetadata().getName()))
                        .toList());
    }

    private static Optional<String> serviceAccount(PodTemplateSpec template) {
        return Optional.ofNullable(template)
                .map(PodTemplateSpec::getSpec)
                .map(s -> s.getServiceAccountName())
                .filter(n -> !n.isBlank());
    }

    private static boolean annotated(ServiceAccount sa) {
        Map<String, String> annotations = sa.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(WorkloadServiceAccountBuilder.ROLE_ARN);
    }
}
