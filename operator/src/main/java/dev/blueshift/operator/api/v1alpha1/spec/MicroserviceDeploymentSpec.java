package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AwsSpec;

public class MicroserviceDeploymentSpec {
  @Required
  @Min(0)
  @JsonPropertyDescription("Number of Pods that serve traffic once a release is complete.")
  private Integer replicas;

  @Required
  @ValidationRule(
      value = "has(self.spec) && has(self.spec.containers) && size(self.spec.containers) > 0",
      message = "spec.template.spec.containers must list at least one container")
  @ValidationRule(
      value = "!has(self.spec) || !has(self.spec.containers) || self.spec.containers.all(c, has(c.image) && size(c.image) > 0)",
      message = "every container in spec.template.spec.containers needs an image",
      fieldPath = ".spec.containers")
  @JsonPropertyDescription(
      "The Pod template of the workload, as in a Deployment. Labels and the revision are added by the operator.")
  private PodTemplateSpec template;

  @JsonPropertyDescription("The Service that exposes the workload inside the cluster.")
  private ServicePorts service = new ServicePorts();

  @JsonPropertyDescription("How a new release replaces the running one.")
  private Strategy strategy = new Strategy();

  @JsonPropertyDescription("The workload's AWS identity (an IAM role through IRSA) and its CloudWatch alarms.")
  private AwsSpec aws;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
  }

  public ServicePorts getService() {
    return service;
  }

  public void setService(ServicePorts service) {
    this.service = service;
  }

  public Strategy getStrategy() {
    return strategy;
  }

  public void setStrategy(Strategy strategy) {
    this.strategy = strategy;
  }

  public AwsSpec getAws() {
    return aws;
  }

  public void setAws(AwsSpec aws) {
    this.aws = aws;
  }
}
