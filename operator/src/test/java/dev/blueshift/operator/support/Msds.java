package dev.blueshift.operator.support;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.MicroserviceDeploymentSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;

/** MicroserviceDeployments for tests. */
public final class Msds {
  private Msds() {}

  public static MicroserviceDeployment rolling(String namespace, String name, int replicas, String image) {
    MicroserviceDeployment msd = new MicroserviceDeployment();
    msd.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withGeneration(1L).withUid("uid-" + name).build());
    MicroserviceDeploymentSpec spec = new MicroserviceDeploymentSpec();
    spec.setReplicas(replicas);
    spec.setTemplate(
        new PodTemplateSpecBuilder()
            .withNewMetadata().addToLabels("team", "payments").endMetadata()
            .withNewSpec()
            .addNewContainer().withName("app").withImage(image).addNewPort().withContainerPort(8080).endPort().endContainer()
            .endSpec()
            .build());
    msd.setSpec(spec);
    return msd;
  }
}
