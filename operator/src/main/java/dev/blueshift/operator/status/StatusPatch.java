package dev.blueshift.operator.status;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * The object to server-side apply for a status write: name, namespace and status only, so that the
 * operator's field manager owns the status and nothing else (no spec, no managedFields).
 */
public final class StatusPatch {
    private StatusPatch() {}

    public static MicroserviceDeployment of(MicroserviceDeployment msd, MicroserviceDeploymentStatus status) {
        MicroserviceDeployment patch = new MicroserviceDeployment();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(msd.getMetadata().getName())
                .withNamespace(msd.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return patch;
    }
}
