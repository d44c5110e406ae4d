package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.release.ObservedState;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;

/**
 * ReplicaSets whose Pods wait for their ServiceAccount: an MSD with an IAM role gets its ReplicaSets
 * while its AWS work may still run in the background, and their Pods are refused until the
 * ServiceAccount (made with the role) exists.
 */
final class ServiceAccountWaiters {
    private ServiceAccountWaiters() {}

    /** The MSD's ReplicaSets that run as {@code serviceAccount} and lack Pods. */
    static List<ReplicaSet> of(String serviceAccount, ObservedState observed) {
        return observed.replicaSets().stream()
                .filter(rs -> serviceAccount.equals(
                        rs.getSpec().getTemplate().getSpec().getServiceAccountName()))
                .filter(rs -> rs.getSpec().getReplicas() != null && rs.getSpec().getReplicas() > 0)
                .filter(rs -> rs.getStatus() == null
                        || rs.getStatus().getReplicas() == null
                        || rs.getStatus().getReplicas() < rs.getSpec().getReplicas())
                .toList();
    }
}
