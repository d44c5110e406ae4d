package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import java.util.List;

/**
 * The finalizer that holds a deleted MSD until its AWS resources are gone, on an MSD that may own
 * some and on no other: an MSD without AWS resources goes at once, operator running or not, so an
 * uninstalled operator leaves no MSD (and no namespace) Terminating. Pure.
 *
 * <p>It goes on before the first AWS resource is made and comes off once none is left: when the
 * MSD no longer asks for any and status knows of none, or after the cleanup of a deleted MSD.
 * Other finalizers are never touched.
 */
final class AwsFinalizer {
    /**
     * The name JOSDK gave the finalizer it put on every MSD (its default: the CRD's name and
     * "/finalizer"): an MSD made by an earlier operator keeps its cleanup, and loses the finalizer
     * at its next reconcile if it owns nothing in AWS.
     */
    static final String NAME = "microservicedeployments." + MicroserviceDeployment.GROUP + "/finalizer";

    private AwsFinalizer() {}

    /** What to do with our finalizer on an MSD that is not being deleted. */
    enum Change {
        ADD,
        REMOVE,
        NONE
    }

    /**
     * @param finalizers the MSD's finalizers, anyone's
     * @param mayOwnAws whether the MSD may own something in AWS (spec asks, status knows, a sync runs)
     */
    static Change change(List<String> finalizers, boolean mayOwnAws) {
        boolean present = finalizers != null && finalizers.contains(NAME);
        if (mayOwnAws && !present) {
            return Change.ADD;
        }
        if (!mayOwnAws && present) {
            return Change.REMOVE;
        }
        return Change.NONE;
    }
}
