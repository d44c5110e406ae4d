package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A CloudWatch alarm whose state judges the release: one of the MSD's own alarms, or any alarm by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.alarm) != has(self.alarmName)",
        message =
                "spec.analysis.metrics[].cloudWatchAlarm needs exactly one of alarm (an entry of spec.aws.alarms) or alarmName")
public class CloudWatchAlarmMetric {
    @Size(min = 1, max = 63)
    @JsonPropertyDescription(
            "The name of an entry of spec.aws.alarms: the operator's alarm of that name for the revision under analysis.")
    private String alarm;

    @Size(min = 1, max = 255)
    @JsonPropertyDescription(
            "Any alarm, by its CloudWatch name. {{revision}}, {{namespace}} and {{name}} are replaced as in a Prometheus"
                    + " query, so that each release can be judged by its own alarm. Only names the cluster admin allows"
                    + " (blueshift.analysis.allowed-alarm-names) are read; others are a provider error.")
    private String alarmName;

    public String getAlarm() {
        return alarm;
    }

    public void setAlarm(String alarm) {
        this.alarm = alarm;
    }

    public String getAlarmName() {
        return alarmName;
    }

    public void setAlarmName(String alarmName) {
        this.alarmName = alarmName;
    }
}
