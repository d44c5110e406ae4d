package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/** Whether an object in the cluster belongs to an MSD. The operator only ever writes its own. */
public final class Ownership {
    private Ownership() {}

    public static boolean isControlledBy(HasMetadata object, MicroserviceDeployment msd) {
        return object.getMetadata().getOwnerReferences().stream()
                .anyMatch(ref -> Boolean.TRUE.equals(ref.getController())
                        && Objects.equals(ref.getUid(), msd.getMetadata().getUid()));
    }

    /** Thrown when an object the MSD needs already exists and belongs to someone else. */
    public static final class ConflictException extends RuntimeException {
        public ConflictException(HasMetadata object) {
            super(object.getKind() + " " + object.getMetadata().getNamespace() + "/"
                    + object.getMetadata().getName()
                    + " already exists and is not owned by this MicroserviceDeployment; the operator will not take it over."
                    + " Delete or rename it, or rename the MicroserviceDeployment.");
        }
    }
}
