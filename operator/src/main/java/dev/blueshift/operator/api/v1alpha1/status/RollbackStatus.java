package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The last automatic rollback: when, between which revisions, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackStatus {
    @JsonPropertyDescription("When the active Service went back (RFC 3339).")
    private String at;

    @JsonPropertyDescription("The revision rolled back.")
    private String from;

    @JsonPropertyDescription("The revision the active Service went back to.")
    private String to;

    @JsonPropertyDescription("Why: the metric, its measured value and the threshold it failed.")
    private String reason;

    public RollbackStatus() {}

    public RollbackStatus(String at, String from, String to, String reason) {
        this.at = at;
        this.from = from;
        this.to = to;
        this.reason = reason;
    }

    public String getAt() {
        return at;
    }

    public void setAt(String at) {
        this.at = at;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof RollbackStatus other)) return false;
        return Objects.equals(at, other.at)
                && Objects.equals(from, other.from)
                && Objects.equals(to, other.to)
                && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, from, to, reason);
    }
}
