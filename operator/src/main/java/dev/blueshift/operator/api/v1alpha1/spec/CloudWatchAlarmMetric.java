package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A CloudWatch alarm whose state judges the release. */
public class CloudWatchAlarmMetric {
  @Required
  @Size(min = 1, max = 255)
  @JsonPropertyDescription(
      "Name of the alarm. {{revision}}, {{namespace}} and {{name}} are replaced as in a Prometheus query, so that"
          + " each release is judged by its own alarm.")
  private String alarmName;

  public String getAlarmName() {
    return alarmName;
  }

  public void setAlarmName(String alarmName) {
    this.alarmName = alarmName;
  }
}
