package dev.blueshift.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.blueshift.operator.api.v1alpha1.spec.MicroserviceDeploymentSpec;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One microservice, described once; the operator turns it into a safe release. Its name becomes
 * Service names (DNS-1035 labels of at most 63 characters), the longest being the preview Service
 * {@code <name>-preview}: so the name is a DNS-1035 label of at most 63 - 8 = 55 characters.
 */
// Judged at creation only (a name never changes): an MSD admitted before this rule can still be
// updated, and deleted (its finalizer removed).
@ValidationRule(
        optionalOldSelf = true,
        value = "oldSelf.hasValue() || size(self.metadata.name) <= " + MicroserviceDeployment.MAX_NAME_LENGTH
                + " && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message =
                "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, ending"
                        + " with a letter or digit) of at most " + MicroserviceDeployment.MAX_NAME_LENGTH
                        + " characters: it names the"
                        + " MSD's Services, the longest being <name>-preview")
@JsonClassDescription(
        "A microservice (its Pods and Service) released safely: Rolling, or BlueGreen with preview, analysis, promotion"
                + " and rollback; optionally with its own IAM role and CloudWatch alarms. Scalable (HPA, KEDA).")
@Group(MicroserviceDeployment.GROUP)
@Version(MicroserviceDeployment.VERSION)
@ShortNames("msd")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(
        name = "Active",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.activeRevision")
@AdditionalPrinterColumn(
        name = "Preview",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.previewRevision")
@AdditionalPrinterColumn(name = "Desired", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.replicas")
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(
        name = "Message",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.message",
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class MicroserviceDeployment extends CustomResource<MicroserviceDeploymentSpec, MicroserviceDeploymentStatus>
        implements Namespaced {
    public static final String GROUP = "blueshift.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "MicroserviceDeployment";
    /** 63 (a Service name) minus the length of {@code -preview}. */
    public static final int MAX_NAME_LENGTH = 55;

    @Override
    protected MicroserviceDeploymentStatus initStatus() {
        return new MicroserviceDeploymentStatus();
    }
}
