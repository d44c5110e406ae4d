package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One metric of the analysis, read from exactly one provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.prometheus) != has(self.cloudWatchAlarm)",
        message = "spec.analysis.metrics[] needs exactly one provider: prometheus or cloudWatchAlarm")
public class AnalysisMetric {
    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the metric in status, Events and the rollback reason (lowercase, digits, '-').")
    private String name;

    @JsonPropertyDescription("A PromQL instant query compared with a threshold.")
    private PrometheusMetric prometheus;

    @JsonPropertyDescription(
            "The state of a CloudWatch alarm: ALARM fails, OK passes, INSUFFICIENT_DATA is no data. An alarm that"
                    + " treats missing data as notBreaching is OK without data, so its OK is no data too.")
    private CloudWatchAlarmMetric cloudWatchAlarm;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public PrometheusMetric getPrometheus() {
        return prometheus;
    }

    public void setPrometheus(PrometheusMetric prometheus) {
        this.prometheus = prometheus;
    }

    public CloudWatchAlarmMetric getCloudWatchAlarm() {
        return cloudWatchAlarm;
    }

    public void setCloudWatchAlarm(CloudWatchAlarmMetric cloudWatchAlarm) {
        this.cloudWatchAlarm = cloudWatchAlarm;
    }
}
