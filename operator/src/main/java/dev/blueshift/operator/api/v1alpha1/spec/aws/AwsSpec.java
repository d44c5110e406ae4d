package dev.blueshift.operator.api.v1alpha1.spec.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What the workload gets from AWS: its IAM role (IRSA) and its CloudWatch alarms. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsSpec {
    @JsonPropertyDescription(
            "The workload's own IAM role, assumed through IRSA: the operator creates it with a trust policy scoped to"
                    + " the workload's ServiceAccount, annotates that ServiceAccount with the role's ARN and keeps the role's"
                    + " policies and tags in line with this spec.")
    private IamRoleSpec iam;

    @Size(max = 10)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.name == a.name))",
            message = "spec.aws.alarms: every alarm needs a distinct name")
    @JsonPropertyDescription(
            "CloudWatch alarms the operator creates for every release revision, each judging that revision's own traffic.")
    private List<AlarmSpec> alarms;

    public IamRoleSpec getIam() {
        return iam;
    }

    public void setIam(IamRoleSpec iam) {
        this.iam = iam;
    }

    public List<AlarmSpec> getAlarms() {
        return alarms;
    }

    public void setAlarms(List<AlarmSpec> alarms) {
        this.alarms = alarms;
    }
}
