package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** While a release waits for Pods to become ready: the last progress it saw. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProgressStatus {
    @JsonPropertyDescription("The revision whose Pods the release waits for.")
    private String revision;

    @JsonPropertyDescription("How many of its Pods were ready when one last became so (or when the wait began).")
    private Integer readyReplicas;

    @JsonPropertyDescription("When that was (RFC 3339); spec.progressDeadlineSeconds counts from here.")
    private String since;

    public ProgressStatus() {}

    public ProgressStatus(String revision, Integer readyReplicas, String since) {
        this.revision = revision;
        this.readyReplicas = readyReplicas;
        this.since = since;
    }

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ProgressStatus other)) return false;
        return Objects.equals(revision, other.revision)
                && Objects.equals(readyReplicas, other.readyReplicas)
                && Objects.equals(since, other.since);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, readyReplicas, since);
    }
}
