package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.ServicePorts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Map;

/** The Service named after the MSD, through which clients reach the release that serves traffic. */
public final class ActiveServiceBuilder {
  private ActiveServiceBuilder() {}

  public static Service build(MicroserviceDeployment msd, Map<String, String> selector) {
    ServicePorts ports = msd.getSpec().getService();
    return new ServiceBuilder()
        .withMetadata(OwnedObjectMeta.of(msd, msd.getMetadata().getName()))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .withPorts(
            new ServicePortBuilder()
                .withName("http")
                .withProtocol("TCP")
                .withPort(ports.getPort())
                .withTargetPort(new IntOrString(ports.getTargetPort()))
                .build())
        .endSpec()
        .build();
  }
}
