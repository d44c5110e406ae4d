package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription(
        "What the operator observed and decided: the release's phase and revisions, the Services' selectors, Pod"
                + " counts, conditions to wait on (Available, Progressing, Ready), analysis and AWS resources.")
public class MicroserviceDeploymentStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription(
            "Where the release stands: Progressing, Paused, Promoting, Healthy, Degraded, Aborted, RolledBack or Failed.")
    private Phase phase;

    @JsonPropertyDescription("One sentence on the phase: what the operator waits for, or why it stopped.")
    private String message;

    @JsonPropertyDescription(
            "Pods of the workload that exist, all revisions together (BlueGreen: stable, preview and those still scaling down).")
    private Integer replicas;

    @JsonPropertyDescription(
            "Ready Pods that serve traffic: BlueGreen, those of the active revision; Rolling, those of the Deployment.")
    private Integer readyReplicas;

    // The scale subresource's status.replicas: the HPA's current size, which it compares with spec.replicas. So
    // the Pods of the revision spec.replicas sizes (not the preview's, nor those still scaling down).
    @StatusReplicas
    @JsonPropertyDescription(
            "Pods of the active revision, ready or not (Rolling: of the Deployment): the scale subresource's"
                    + " status.replicas. A preview and revisions scaling down are not counted.")
    private Integer activeReplicas;

    @JsonPropertyDescription("The revision (pod-template hash) of the current spec.template.")
    private String currentRevision;

    @JsonPropertyDescription("BlueGreen: the last revision that completed a release; where an abort returns.")
    private String stableRevision;

    @JsonPropertyDescription("BlueGreen: the revision the active Service selects.")
    private String activeRevision;

    @JsonPropertyDescription("BlueGreen: the revision the preview Service selects.")
    private String previewRevision;

    // The scale subresource's selector: an HPA averages its metrics over the Pods that serve traffic, not over
    // an idle preview.
    @LabelSelector
    @JsonPropertyDescription(
            "The label selector of the active Service: the Pods that serve traffic. Also the scale subresource's"
                    + " selector, over which an HPA measures.")
    private String activeSelector;

    @JsonPropertyDescription("BlueGreen: the label selector of the preview Service.")
    private String previewSelector;

    @JsonPropertyDescription(
            "BlueGreen: when the preview of currentRevision became ready (starts auto-promotion's wait).")
    private String previewReadyAt;

    @JsonPropertyDescription(
            "BlueGreen: the revision being promoted, recorded before its ReplicaSet scales to full size (a promote command,"
                    + " auto-promotion); absent once it is stable, aborted or rolled back. The size of a ReplicaSet never starts a promotion.")
    private String promotingRevision;

    @JsonPropertyDescription(
            "BlueGreen: while the release waits for Pods to become ready, the last progress it saw; absent when it waits for none.")
    private ProgressStatus lastProgress;

    @JsonPropertyDescription(
            "BlueGreen: a revision the user or an analysis aborted; it is not released again until retry.")
    private String abortedRevision;

    @JsonPropertyDescription("Why abortedRevision was aborted.")
    private String abortReason;

    @JsonPropertyDescription("BlueGreen: bumped when two templates hash to the same revision name, to tell them apart.")
    private Integer collisionCount;

    @JsonPropertyDescription("BlueGreen: the analysis of the current (or last) release stage, metric by metric.")
    private AnalysisStatus analysis;

    @JsonPropertyDescription("BlueGreen: the last automatic rollback after failed post-promotion checks.")
    private RollbackStatus lastRollback;

    @JsonPropertyDescription(
            "Available, Progressing, Ready and ReconcileError (and AwsIdentity, AwsAlarms, AwsCleanup), one per type, each"
                    + " with reason, message and observedGeneration.")
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

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
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

    public Integer getActiveReplicas() {
        return activeReplicas;
    }

    public void setActiveReplicas(Integer activeReplicas) {
        this.activeReplicas = activeReplicas;
    }

    public String getCurrentRevision() {
        return currentRevision;
    }

    public void setCurrentRevision(String currentRevision) {
        this.currentRevision = currentRevision;
    }

    public String getStableRevision() {
        return stableRevision;
    }

    public void setStableRevision(String stableRevision) {
        this.stableRevision = stableRevision;
    }

    public String getActiveRevision() {
        return activeRevision;
    }

    public void setActiveRevision(String activeRevision) {
        this.activeRevision = activeRevision;
    }

    public String getPreviewRevision() {
        return previewRevision;
    }

    public void setPreviewRevision(String previewRevision) {
        this.previewRevision = previewRevision;
    }

    public String getActiveSelector() {
        return activeSelector;
    }

    public void setActiveSelector(String activeSelector) {
        this.activeSelector = activeSelector;
    }

    public String getPreviewSelector() {
        return previewSelector;
    }

    public void setPreviewSelector(String previewSelector) {
        this.previewSelector = previewSelector;
    }

    public ProgressStatus getLastProgress() {
        return lastProgress;
    }

    public void setLastProgress(ProgressStatus lastProgress) {
        this.lastProgress = lastProgress;
    }

    public String getPreviewReadyAt() {
        return previewReadyAt;
    }

    public void setPreviewReadyAt(String previewReadyAt) {
        this.previewReadyAt = previewReadyAt;
    }

    public String getPromotingRevision() {
        return promotingRevision;
    }

    public void setPromotingRevision(String promotingRevision) {
        this.promotingRevision = promotingRevision;
    }

    public String getAbortedRevision() {
        return abortedRevision;
    }

    public void setAbortedRevision(String abortedRevision) {
        this.abortedRevision = abortedRevision;
    }

    public String getAbortReason() {
        return abortReason;
    }

    public void setAbortReason(String abortReason) {
        this.abortReason = abortReason;
    }

    public Integer getCollisionCount() {
        return collisionCount;
    }

    public void setCollisionCount(Integer collisionCount) {
        this.collisionCount = collisionCount;
    }

    public AnalysisStatus getAnalysis() {
        return analysis;
    }

    public void setAnalysis(AnalysisStatus analysis) {
        this.analysis = analysis;
    }

    public RollbackStatus getLastRollback() {
        return lastRollback;
    }

    public void setLastRollback(RollbackStatus lastRollback) {
        this.lastRollback = lastRollback;
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

    /** A deep copy: the next status starts from it and changes what changed. */
    public MicroserviceDeploymentStatus copy() {
        return Serialization.clone(this);
    }

    /** Equal when they serialize alike: what the API server would store is what is compared. */
    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof MicroserviceDeploymentStatus other
                        && json(this).equals(json(other)));
    }

    @Override
    public int hashCode() {
        return json(this).hashCode();
    }

    private static JsonNode json(MicroserviceDeploymentStatus status) {
        return Serialization.jsonMapper().valueToTree(status);
    }
}
