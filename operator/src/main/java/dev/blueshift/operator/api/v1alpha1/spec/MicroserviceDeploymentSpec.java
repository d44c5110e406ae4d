package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AwsSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@ValidationRule(
        value =
                "!has(self.strategy) || !has(self.strategy.blueGreen) || !has(self.strategy.blueGreen.previewReplicaCount)"
                        + " || self.strategy.blueGreen.previewReplicaCount <= self.replicas",
        message = "spec.strategy.blueGreen.previewReplicaCount must not exceed spec.replicas",
        fieldPath = ".strategy.blueGreen.previewReplicaCount")
@ValidationRule(
        value =
                "!has(self.analysis) || (has(self.strategy) && has(self.strategy.type) && self.strategy.type == 'BlueGreen')",
        message = "spec.analysis is only allowed with spec.strategy.type BlueGreen",
        fieldPath = ".analysis")
@ValidationRule(
        value =
                "!has(self.analysis) || !has(self.analysis.metrics) || self.analysis.metrics.all(m, !has(m.cloudWatchAlarm)"
                        + " || !has(m.cloudWatchAlarm.alarm) || (has(self.aws) && has(self.aws.alarms)"
                        + " && self.aws.alarms.exists(a, a.name == m.cloudWatchAlarm.alarm)))",
        message = "spec.analysis.metrics[].cloudWatchAlarm.alarm must name an alarm of spec.aws.alarms",
        fieldPath = ".analysis.metrics")
// An alarm that treats missing data as notBreaching is OK without any data: judging a release by it
// would pass a revision that served nothing. (The analysis never passes such an OK either.)
@ValidationRule(
        value = "!has(self.analysis) || !has(self.analysis.metrics) || !has(self.aws) || !has(self.aws.alarms)"
                + " || self.analysis.metrics.all(m, !has(m.cloudWatchAlarm) || !has(m.cloudWatchAlarm.alarm)"
                + " || !self.aws.alarms.exists(a, a.name == m.cloudWatchAlarm.alarm && has(a.errorRate.treatMissingData)"
                + " && a.errorRate.treatMissingData == 'notBreaching'))",
        // Static: a messageExpression naming the alarm (filter(...)[0].name) loses the list's and name's
        // bounds, and the API server refuses the CRD for its estimated cost.
        message =
                "spec.analysis.metrics[].cloudWatchAlarm.alarm names an alarm of spec.aws.alarms that treats missing data"
                        + " as notBreaching, so its OK would pass a release without data; use missing, breaching or ignore",
        fieldPath = ".analysis.metrics")
@JsonClassDescription(
        "What the microservice is (its Pod template, size and Service) and how a change of it is released (Rolling or"
                + " BlueGreen, analysis, AWS identity and alarms).")
public class MicroserviceDeploymentSpec {
    @Required
    @Min(0)
    @Max(10000)
    @SpecReplicas
    @JsonPropertyDescription(
            "Number of Pods that serve traffic once a release is complete; what the scale subresource sets (an HPA,"
                    + " KEDA, kubectl scale). BlueGreen: the size of the active revision and of a promoted one.")
    private Integer replicas;

    @Required
    @ValidationRule(
            value = "has(self.spec) && has(self.spec.containers) && size(self.spec.containers) > 0",
            message = "spec.template.spec.containers must list at least one container")
    @JsonPropertyDescription(
            "The Pod template of the workload, as in a Deployment. Labels and the revision are added by the operator.")
    private PodTemplateSpec template;

    @JsonPropertyDescription("The Service that exposes the workload inside the cluster.")
    private ServicePorts service = new ServicePorts();

    @JsonPropertyDescription("How a new release replaces the running one.")
    private Strategy strategy = new Strategy();

    @JsonPropertyDescription(
            "BlueGreen: metrics that judge a new release before promotion (a failure aborts) and after it (a failure"
                    + " rolls back). Absent: no checks.")
    private Analysis analysis;

    @Min(0)
    @Max(100)
    @Default("3")
    @JsonPropertyDescription(
            "BlueGreen: how many old ReplicaSets (scaled to 0) are kept for undo, besides the stable and the new one.")
    private Integer revisionHistoryLimit = 3;

    @Min(1)
    @Default("600")
    @JsonPropertyDescription(
            "Seconds a release may wait for its Pods to become ready without one becoming so; then the MSD is Degraded"
                    + " (reason ProgressDeadlineExceeded) and goes on waiting. Rolling passes it to its Deployment. Default 600.")
    private Integer progressDeadlineSeconds = 600;

    public Integer getProgressDeadlineSeconds() {
        return progressDeadlineSeconds;
    }

    public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
        this.progressDeadlineSeconds = progressDeadlineSeconds;
    }

    /** The progress deadline, 600 s when the spec has none. */
    public int progressDeadlineSecondsOrDefault() {
        return progressDeadlineSeconds == null ? 600 : progressDeadlineSeconds;
    }

    public Integer getRevisionHistoryLimit() {
        return revisionHistoryLimit;
    }

    public void setRevisionHistoryLimit(Integer revisionHistoryLimit) {
        this.revisionHistoryLimit = revisionHistoryLimit;
    }

    @JsonPropertyDescription("The workload's AWS identity (an IAM role through IRSA) and its CloudWatch alarms.")
    private AwsSpec aws;

    public Analysis getAnalysis() {
        return analysis;
    }

    public void setAnalysis(Analysis analysis) {
        this.analysis = analysis;
    }

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
