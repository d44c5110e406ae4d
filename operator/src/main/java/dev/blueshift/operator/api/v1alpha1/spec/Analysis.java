package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** How a new BlueGreen release is judged before and after promotion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.prePromotion) || has(self.postPromotion)",
        message = "spec.analysis needs a prePromotion stage, a postPromotion stage, or both")
public class Analysis {
    @Pattern(AnalysisStage.DURATION_PATTERN)
    // The pattern reports a malformed value; the rule only judges well-formed ones (duration() would fail on the
    // others).
    @ValidationRule(
            value = "!self.matches('" + AnalysisStage.DURATION_PATTERN + "') || duration(self) >= duration('100ms')",
            message = "spec.analysis.interval must be at least 100ms")
    @Default("10s")
    @JsonPropertyDescription(
            "Time between two measurements of a metric, e.g. 10s, 1m, 500ms (a whole number of at most 7"
                    + " digits with ms or s, 6 with m, 5 with h). Default 10s.")
    private String interval = "10s";

    @JsonPropertyDescription(
            "Checks of the preview before promotion, while the active Service stays on the stable revision. A failure"
                    + " aborts the release.")
    private AnalysisStage prePromotion;

    @JsonPropertyDescription(
            "Checks after promotion (bake time), while the previous revision stays scaled up. A failure rolls back: the"
                    + " active Service returns to the previous revision.")
    private AnalysisStage postPromotion;

    @Min(0)
    @Max(1000)
    @Default("0")
    @JsonPropertyDescription(
            "Failed measurements of one metric that are tolerated within a stage; one more fails the stage. Default 0.")
    private Integer failureLimit = 0;

    @Min(0)
    @Max(1000)
    @Default("4")
    @JsonPropertyDescription(
            "Consecutive provider errors (unreachable, bad answer) of one metric that are tolerated; one more fails the"
                    + " stage. An error is never a pass. Default 4.")
    private Integer consecutiveErrorLimit = 4;

    @Default("Inconclusive")
    @JsonPropertyDescription(
            "What a measurement without data (empty result, NaN, INSUFFICIENT_DATA) means. Inconclusive (default): it"
                    + " neither passes nor fails, measuring goes on, and a stage that ends while a metric's last measurement"
                    + " had no data fails with reason no data. Fail: it counts as a failed measurement at once.")
    private NoDataPolicy noData = NoDataPolicy.Inconclusive;

    @Required
    @Size(min = 1, max = 20)
    @ValidationRule(
            value = "self.all(m, self.exists_one(n, n.name == m.name))",
            message = "spec.analysis.metrics names must be unique")
    @JsonPropertyDescription("The metrics every stage measures; each stage passes only when all of them pass.")
    private List<AnalysisMetric> metrics = new ArrayList<>();

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public AnalysisStage getPrePromotion() {
        return prePromotion;
    }

    public void setPrePromotion(AnalysisStage prePromotion) {
        this.prePromotion = prePromotion;
    }

    public AnalysisStage getPostPromotion() {
        return postPromotion;
    }

    public void setPostPromotion(AnalysisStage postPromotion) {
        this.postPromotion = postPromotion;
    }

    public Integer getFailureLimit() {
        return failureLimit;
    }

    public void setFailureLimit(Integer failureLimit) {
        this.failureLimit = failureLimit;
    }

    public Integer getConsecutiveErrorLimit() {
        return consecutiveErrorLimit;
    }

    public void setConsecutiveErrorLimit(Integer consecutiveErrorLimit) {
        this.consecutiveErrorLimit = consecutiveErrorLimit;
    }

    public NoDataPolicy getNoData() {
        return noData;
    }

    public void setNoData(NoDataPolicy noData) {
        this.noData = noData;
    }

    public List<AnalysisMetric> getMetrics() {
        return metrics;
    }

    public void setMetrics(List<AnalysisMetric> metrics) {
        this.metrics = metrics;
    }
}
