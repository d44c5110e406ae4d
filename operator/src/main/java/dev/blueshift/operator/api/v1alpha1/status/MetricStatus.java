package dev.blueshift.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One metric of a stage: its last measurement and the counts the stage's verdict depends on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricStatus {
    @JsonPropertyDescription("The metric's name from spec.analysis.metrics.")
    private String name;

    @JsonPropertyDescription("The last measured value (a number, or an alarm state).")
    private String value;

    @JsonPropertyDescription("What the value must satisfy to pass, e.g. '< 0.05' or 'OK'.")
    private String threshold;

    @JsonPropertyDescription("The last measurement: Passed, Failed, NoData or Error.")
    private String verdict;

    @JsonPropertyDescription("Measurements taken in this stage.")
    private Integer measurements;

    @JsonPropertyDescription("Failed measurements in this stage, compared with spec.analysis.failureLimit.")
    private Integer failures;

    @JsonPropertyDescription("Provider errors in a row, compared with spec.analysis.consecutiveErrorLimit.")
    private Integer consecutiveErrors;

    @JsonPropertyDescription("Details of the last measurement: the provider's error, or why there was no data.")
    private String message;

    @JsonPropertyDescription("When the last measurement was taken (RFC 3339).")
    private String measuredAt;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public String getThreshold() {
        return threshold;
    }

    public void setThreshold(String threshold) {
        this.threshold = threshold;
    }

    public String getVerdict() {
        return verdict;
    }

    public void setVerdict(String verdict) {
        this.verdict = verdict;
    }

    public Integer getMeasurements() {
        return measurements;
    }

    public void setMeasurements(Integer measurements) {
        this.measurements = measurements;
    }

    public Integer getFailures() {
        return failures;
    }

    public void setFailures(Integer failures) {
        this.failures = failures;
    }

    public Integer getConsecutiveErrors() {
        return consecutiveErrors;
    }

    public void setConsecutiveErrors(Integer consecutiveErrors) {
        this.consecutiveErrors = consecutiveErrors;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getMeasuredAt() {
        return measuredAt;
    }

    public void setMeasuredAt(String measuredAt) {
        this.measuredAt = measuredAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof MetricStatus other)) return false;
        return Objects.equals(name, other.name)
                && Objects.equals(value, other.value)
                && Objects.equals(threshold, other.threshold)
                && Objects.equals(verdict, other.verdict)
                && Objects.equals(measurements, other.measurements)
                && Objects.equals(failures, other.failures)
                && Objects.equals(consecutiveErrors, other.consecutiveErrors)
                && Objects.equals(message, other.message)
                && Objects.equals(measuredAt, other.measuredAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                name, value, threshold, verdict, measurements, failures, consecutiveErrors, message, measuredAt);
    }
}
