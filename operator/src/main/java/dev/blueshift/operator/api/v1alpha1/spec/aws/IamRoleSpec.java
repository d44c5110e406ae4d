package dev.blueshift.operator.api.v1alpha1.spec.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The workload's IAM role. Its name is derived by the operator (see status.aws.roleArn). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IamRoleSpec {
    static final String POLICY_ARN = "^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/[A-Za-z0-9_+=,.@/-]+$";

    @Size(max = 20)
    @JsonPropertyDescription(
            "ARNs of managed policies attached to the role (arn:aws:iam::<account or aws>:policy/<name>). Policies attached by hand are detached.")
    private List<@Pattern(POLICY_ARN) @Size(max = 2048) String> managedPolicyArns;

    @Size(max = 10240)
    @JsonPropertyDescription(
            "An IAM policy document (JSON) put on the role as its one inline policy. A document IAM refuses shows as the"
                    + " AwsIdentity condition with IAM's message.")
    private String inlinePolicy;

    @Pattern(POLICY_ARN)
    @JsonPropertyDescription("ARN of a managed policy used as the role's permissions boundary.")
    private String permissionsBoundary;

    @Default("/")
    @Size(max = 512)
    @Pattern("^/([A-Za-z0-9_+=,.@-]+/)*$")
    @ValidationRule(
            value = "self == oldSelf",
            message = "spec.aws.iam.path cannot be changed once set (IAM cannot move a role)")
    @JsonPropertyDescription("IAM path of the role, e.g. /blueshift/. Cannot be changed later.")
    private String path = "/";

    @Default("3600")
    @Min(3600)
    @Max(43200)
    @JsonPropertyDescription("Longest session, in seconds, that the workload can get from the role (3600 to 43200).")
    private Integer maxSessionDuration = 3600;

    @Size(max = 40)
    @ValidationRule(
            value = "self.all(k, !k.startsWith('blueshift.dev/') && !k.startsWith('aws:'))",
            message = "spec.aws.iam.tags: keys starting with blueshift.dev/ or aws: are reserved")
    @JsonPropertyDescription(
            "Tags on the role, besides the ownership tags (blueshift.dev/cluster, namespace, name, managed-by) the operator always sets.")
    private Map<@Size(max = 128) String, @Size(max = 256) String> tags;

    @Default("Delete")
    @JsonPropertyDescription(
            "Delete: the role goes with the MicroserviceDeployment (its policies detached and deleted first). Retain: it stays.")
    private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

    @Default("true")
    @JsonPropertyDescription(
            "Annotate the ServiceAccount with eks.amazonaws.com/sts-regional-endpoints=true, so the SDKs use the regional STS endpoint.")
    private Boolean stsRegionalEndpoints = Boolean.TRUE;

    public List<String> getManagedPolicyArns() {
        return managedPolicyArns;
    }

    public void setManagedPolicyArns(List<String> managedPolicyArns) {
        this.managedPolicyArns = managedPolicyArns;
    }

    public String getInlinePolicy() {
        return inlinePolicy;
    }

    public void setInlinePolicy(String inlinePolicy) {
        this.inlinePolicy = inlinePolicy;
    }

    public String getPermissionsBoundary() {
        return permissionsBoundary;
    }

    public void setPermissionsBoundary(String permissionsBoundary) {
        this.permissionsBoundary = permissionsBoundary;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Integer getMaxSessionDuration() {
        return maxSessionDuration;
    }

    public void setMaxSessionDuration(Integer maxSessionDuration) {
        this.maxSessionDuration = maxSessionDuration;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    public void setTags(Map<String, String> tags) {
        this.tags = tags;
    }

    public DeletionPolicy getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }

    public Boolean getStsRegionalEndpoints() {
        return stsRegionalEndpoints;
    }

    public void setStsRegionalEndpoints(Boolean stsRegionalEndpoints) {
        this.stsRegionalEndpoints = stsRegionalEndpoints;
    }
}
