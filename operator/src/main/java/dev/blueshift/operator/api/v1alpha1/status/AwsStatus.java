package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator made in AWS for the MSD, as it last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsStatus {
    @JsonPropertyDescription(
            "ARN of the workload's IAM role; the ServiceAccount carries it in eks.amazonaws.com/role-arn.")
    private String roleArn;

    @JsonPropertyDescription(
            "What becomes of the role when the MSD or its spec.aws.iam goes (Delete or Retain), as the spec said when the role"
                    + " was last in line with it: it outlives the removal of spec.aws.iam.")
    private DeletionPolicy roleDeletionPolicy;

    @JsonPropertyDescription("The ServiceAccount the workload's Pods run as.")
    private String serviceAccountName;

    @JsonPropertyDescription("Every alarm of every live revision, with its CloudWatch state.")
    private List<AlarmStatus> alarms = new ArrayList<>();

    public String getRoleArn() {
        return roleArn;
    }

    public void setRoleArn(String roleArn) {
        this.roleArn = roleArn;
    }

    public DeletionPolicy getRoleDeletionPolicy() {
        return roleDeletionPolicy;
    }

    public void setRoleDeletionPolicy(DeletionPolicy roleDeletionPolicy) {
        this.roleDeletionPolicy = roleDeletionPolicy;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public List<AlarmStatus> getAlarms() {
        return alarms;
    }

    public void setAlarms(List<AlarmStatus> alarms) {
        this.alarms = alarms;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AwsStatus other)) return false;
        return Objects.equals(roleArn, other.roleArn)
                && roleDeletionPolicy == other.roleDeletionPolicy
                && Objects.equals(serviceAccountName, other.serviceAccountName)
                && Objects.equals(alarms, other.alarms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(roleArn, roleDeletionPolicy, serviceAccountName, alarms);
    }
}
