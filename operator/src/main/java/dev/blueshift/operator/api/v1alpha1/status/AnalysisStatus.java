package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The analysis of the current (or last) stage of a release. It holds the counts the analysis goes
 * on from, so that a restarted operator continues instead of starting over.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisStatus {
    @JsonPropertyDescription("PrePromotion or PostPromotion.")
    private String stage;

    @JsonPropertyDescription("The revision under analysis.")
    private String revision;

    @JsonPropertyDescription("When the stage started (RFC 3339).")
    private String startedAt;

    @JsonPropertyDescription("Running, Passed, Failed, or Stopped (aborted or replaced before a verdict).")
    private String verdict;

    @JsonPropertyDescription("Why the stage has this verdict.")
    private String message;

    @JsonPropertyDescription("Each metric's last measurement and counts.")
    private List<MetricStatus> metrics = new ArrayList<>();

    public String getStage() {
        return stage;
    }

    public void setStage(String stage) {
        this.stage = stage;
    }

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getVerdict() {
        return verdict;
    }

    public void setVerdict(String verdict) {
        this.verdict = verdict;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<MetricStatus> getMetrics() {
        return metrics;
    }

    public void setMetrics(List<MetricStatus> metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AnalysisStatus other)) return false;
        return Objects.equals(stage, other.stage)
                && Objects.equals(revision, other.revision)
                && Objects.equals(startedAt, other.startedAt)
                && Objects.equals(verdict, other.verdict)
                && Objects.equals(message, other.message)
                && Objects.equals(metrics, other.metrics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stage, revision, startedAt, verdict, message, metrics);
    }
}
