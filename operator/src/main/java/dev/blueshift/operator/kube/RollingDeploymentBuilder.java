package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** The Deployment that runs an MSD with the Rolling strategy. */
public final class RollingDeploymentBuilder {
    private RollingDeploymentBuilder() {}

    /** The annotation on the Pod template that carries the digest of the config it reads. */
    public static final String CONFIG_DIGEST = "blueshift.dev/config-digest";

    public static Deployment build(MicroserviceDeployment msd, String configDigest) {
        PodTemplateSpec template = labelledTemplate(msd);
        if (!configDigest.isEmpty()) {
            template.getMetadata().getAnnotations().put(CONFIG_DIGEST, configDigest);
        }
        return new DeploymentBuilder()
                .withMetadata(OwnedObjectMeta.of(msd, msd.getMetadata().getName()))
                .withNewSpec()
                .withReplicas(msd.getSpec().getReplicas())
                .withProgressDeadlineSeconds(msd.getSpec().progressDeadlineSecondsOrDefault())
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(WorkloadLabels.podSelector(msd))
                        .build())
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /** The user's template with the operator's labels added (the user's own labels are kept). */
    static PodTemplateSpec labelledTemplate(MicroserviceDeployment msd) {
        PodTemplateSpecBuilder template =
                new PodTemplateSpecBuilder(msd.getSpec().getTemplate());
        if (template.buildMetadata() == null) {
            template.withNewMetadata().endMetadata();
        }
        return WorkloadIdentity.applyTo(
                template.editMetadata()
                        .addToLabels(WorkloadLabels.of(msd))
                        .endMetadata()
                        .build(),
                msd);
    }
}
