package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.release.ObjectWriter;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Set;

/**
 * Every write a reconcile of one MSD makes to Kubernetes: the objects it owns (through
 * {@link ObjectWriter}, which the strategies see), its Events, its status, and the removal of
 * the command annotations it acted on. One port, so that the fence, the ownership check and the
 * request count sit in one place, and tests record every write in order.
 */
interface ClusterWriter extends ObjectWriter {
    /** Records an Event on the MSD; failing to record one never fails the reconcile. */
    void event(boolean warning, String reason, String message);

    /** Server-side applies the MSD's status; returns the MSD as the API server has it after. */
    MicroserviceDeployment writeStatus(MicroserviceDeploymentStatus status);

    /**
     * Removes the command annotations acted on, each only if it still has the value the reconcile read.
     *
     * @return false when a command changed since it was read (nothing was removed)
     */
    boolean removeCommands(Set<String> commands);

    /**
     * Makes the ReplicaSet controller look at {@code replicaSet} again now (an annotation with the
     * time): its Pods were refused while their ServiceAccount was missing, and the controller retries
     * those with a backoff of up to minutes, which a ServiceAccount appearing does not cut short.
     */
    void nudge(ReplicaSet replicaSet);
}
