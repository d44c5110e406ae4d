package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MicroserviceDeploymentStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Where the release stands: Progressing, Healthy, Degraded or Failed.")
  private Phase phase;

  @JsonPropertyDescription("Pods of the workload that exist.")
  private Integer replicas;

  @JsonPropertyDescription("Pods of the workload that are ready.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Ready, Progressing and ReconcileError conditions, each with reason and message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The workload's IAM role and the CloudWatch alarms of its revisions.")
  private AwsStatus aws;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public AwsStatus getAws() {
    return aws;
  }

  public void setAws(AwsStatus aws) {
    this.aws = aws;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof MicroserviceDeploymentStatus other)) return false;
    return Objects.equals(observedGeneration, other.observedGeneration)
        && phase == other.phase
        && Objects.equals(replicas, other.replicas)
        && Objects.equals(readyReplicas, other.readyReplicas)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(aws, other.aws);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, replicas, readyReplicas, conditions, aws);
  }
}
