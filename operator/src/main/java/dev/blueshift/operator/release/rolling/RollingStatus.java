package dev.blueshift.operator.release.rolling;

import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;

/** From a Rolling release's progress to what status shows. Pure. */
public final class RollingStatus {
    private RollingStatus() {}

    /**
     * The status fields of a Rolling release: its progress, its revision, and the active Service's
     * selector (every Pod of the MSD once the Deployment serves). Rolling has no stable, preview or
     * aborted revision.
     */
    public static MicroserviceDeploymentStatus of(Progress progress, String revision, String activeSelector) {
        MicroserviceDeploymentStatus status = new MicroserviceDeploymentStatus();
        status.setPhase(progress.phase());
        status.setMessage(progress.message());
        status.setReplicas(progress.replicas());
        status.setReadyReplicas(progress.readyReplicas());
        // The Deployment is the active revision: its Pods are what the scale subresource reports.
        status.setActiveReplicas(progress.replicas());
        status.setCurrentRevision(revision);
        status.setActiveSelector(activeSelector);
        return status;
    }
}
