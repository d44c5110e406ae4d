package dev.blueshift.operator.api.v1alpha1.spec.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * The error-rate alarm: errors / requests of one revision, over {@code period} seconds, compared with
 * {@code threshold}. Defaults match what the sample service publishes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.datapointsToAlarm) || self.datapointsToAlarm <= self.evaluationPeriods",
        message = "datapointsToAlarm cannot exceed evaluationPeriods",
        fieldPath = ".datapointsToAlarm")
public class ErrorRateAlarm {
    public static final String DEFAULT_NAMESPACE = "Blueshift/SampleService";
    public static final String DEFAULT_ERRORS_METRIC = "Errors";
    public static final String DEFAULT_REQUESTS_METRIC = "Requests";
    public static final String DEFAULT_REVISION_DIMENSION = "Revision";
    public static final String DEFAULT_SERVICE_DIMENSION = "Service";

    @Required
    @Min(0)
    @Max(1)
    @ValidationRule(value = "self > 0.0", message = "threshold must be above 0 (a share of requests, e.g. 0.05 for 5%)")
    @JsonPropertyDescription(
            "The alarm fires when errors / requests is above this share (0 < threshold <= 1; 0.05 is 5%).")
    private Double threshold;

    @Default("60")
    @Min(10)
    @ValidationRule(
            value = "self == 10 || self == 30 || self % 60 == 0",
            message = "period must be 10, 30 or a multiple of 60 seconds")
    @JsonPropertyDescription("Length in seconds of each evaluated period: 10, 30 or a multiple of 60.")
    private Integer period = 60;

    @Default("3")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("How many of the latest periods CloudWatch evaluates.")
    private Integer evaluationPeriods = 3;

    @Min(1)
    @JsonPropertyDescription("How many of the evaluated periods must breach to fire; defaults to evaluationPeriods.")
    private Integer datapointsToAlarm;

    @Default("missing")
    @JsonPropertyDescription(
            "How periods without data count: breaching, notBreaching, ignore or missing (CloudWatch's words).")
    private TreatMissingData treatMissingData = TreatMissingData.missing;

    @Default(DEFAULT_NAMESPACE)
    @Size(min = 1, max = 255)
    @JsonPropertyDescription("CloudWatch namespace of both metrics.")
    private String namespace = DEFAULT_NAMESPACE;

    @Default(DEFAULT_ERRORS_METRIC)
    @Size(min = 1, max = 255)
    @JsonPropertyDescription("Name of the CloudWatch metric counting failed requests.")
    private String errors = DEFAULT_ERRORS_METRIC;

    @Default(DEFAULT_REQUESTS_METRIC)
    @Size(min = 1, max = 255)
    @JsonPropertyDescription("Name of the CloudWatch metric counting all requests.")
    private String requests = DEFAULT_REQUESTS_METRIC;

    @Default(DEFAULT_REVISION_DIMENSION)
    @Size(min = 1, max = 255)
    @JsonPropertyDescription(
            "Dimension whose value is the release revision (the pod-template hash), so each release is judged alone.")
    private String revisionDimension = DEFAULT_REVISION_DIMENSION;

    @Size(max = 29)
    @JsonPropertyDescription(
            "Fixed dimensions of both metrics besides the revision. Default: Service = the MicroserviceDeployment's name.")
    private Map<String, String> dimensions;

    public Double getThreshold() {
        return threshold;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public Integer getPeriod() {
        return period;
    }

    public void setPeriod(Integer period) {
        this.period = period;
    }

    public Integer getEvaluationPeriods() {
        return evaluationPeriods;
    }

    public void setEvaluationPeriods(Integer evaluationPeriods) {
        this.evaluationPeriods = evaluationPeriods;
    }

    public Integer getDatapointsToAlarm() {
        return datapointsToAlarm;
    }

    public void setDatapointsToAlarm(Integer datapointsToAlarm) {
        this.datapointsToAlarm = datapointsToAlarm;
    }

    public TreatMissingData getTreatMissingData() {
        return treatMissingData;
    }

    public void setTreatMissingData(TreatMissingData treatMissingData) {
        this.treatMissingData = treatMissingData;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getErrors() {
        return errors;
    }

    public void setErrors(String errors) {
        this.errors = errors;
    }

    public String getRequests() {
        return requests;
    }

    public void setRequests(String requests) {
        this.requests = requests;
    }

    public String getRevisionDimension() {
        return revisionDimension;
    }

    public void setRevisionDimension(String revisionDimension) {
        this.revisionDimension = revisionDimension;
    }

    public Map<String, String> getDimensions() {
        return dimensions;
    }

    public void setDimensions(Map<String, String> dimensions) {
        this.dimensions = dimensions;
    }
}
