package dev.blueshift.operator.api.v1alpha1;

import dev.blueshift.operator.api.v1alpha1.spec.MicroserviceDeploymentSpec;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One microservice, described once; the operator turns it into a safe release. */
@Group(MicroserviceDeployment.GROUP)
@Version(MicroserviceDeployment.VERSION)
@ShortNames("msd")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Active", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.activeRevision")
@AdditionalPrinterColumn(name = "Preview", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.previewRevision")
@AdditionalPrinterColumn(name = "Desired", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.replicas")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(name = "Message", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.message", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class MicroserviceDeployment
    extends CustomResource<MicroserviceDeploymentSpec, MicroserviceDeploymentStatus>
    implements Namespaced {
  public static final String GROUP = "blueshift.dev";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "MicroserviceDeployment";

  @Override
  protected MicroserviceDeploymentStatus initStatus() {
    return new MicroserviceDeploymentStatus();
  }
}
