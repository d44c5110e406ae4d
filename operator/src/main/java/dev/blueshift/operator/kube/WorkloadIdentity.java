package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.Optional;

/**
 * Which ServiceAccount the workload runs as when the MSD has an IAM role: the one the template
 * names, else one named after the MSD. Either way the operator creates and annotates it, and the
 * role's trust policy names exactly it.
 */
public final class WorkloadIdentity {
    private WorkloadIdentity() {}

    public static Optional<String> serviceAccountName(MicroserviceDeployment msd) {
        if (msd.getSpec().getAws() == null || msd.getSpec().getAws().getIam() == null) {
            return Optional.empty();
        }
        PodTemplateSpec template = msd.getSpec().getTemplate();
        String named = template == null || template.getSpec() == null
                ? null
                : template.getSpec().getServiceAccountName();
        return Optional.of(named == null || named.isBlank() ? msd.getMetadata().getName() : named);
    }

    /** {@code template} running as the workload's ServiceAccount, when the MSD has an IAM role. */
    public static PodTemplateSpec applyTo(PodTemplateSpec template, MicroserviceDeployment msd) {
        return serviceAccountName(msd)
                .map(name -> new PodTemplateSpecBuilder(template)
                        .editOrNewSpec()
                        .withServiceAccountName(name)
                        .endSpec()
                        .build())
                .orElse(template);
    }
}
