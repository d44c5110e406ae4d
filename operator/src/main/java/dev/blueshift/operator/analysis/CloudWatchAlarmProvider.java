package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import java.util.List;
import java.util.Map;

/**
 * The state of a CloudWatch alarm as a measurement: ALARM fails, OK passes, INSUFFICIENT_DATA is
 * no data; a missing alarm or a failed call is a provider error.
 */
public class CloudWatchAlarmProvider implements MetricProvider {
  private static final String WANTED = "OK";

  private final AlarmStates alarms;

  public CloudWatchAlarmProvider(AlarmStates alarms) {
    this.alarms = alarms;
  }

  @Override
  public boolean handles(AnalysisMetric metric) {
    return metric.getCloudWatchAlarm() != null;
  }

  @Override
  public Measurement measure(AnalysisMetric metric, AnalysisTarget target) {
    String name = target.render(metric.getCloudWatchAlarm().getAlarmName());
    Map<String, String> states;
    try {
      states = alarms.states(List.of(name));
    } catch (RuntimeException e) {
      return Measurement.error(WANTED, "DescribeAlarms failed: " + e.getMessage());
    }
    String state = states.get(name);
    if (state == null) {
      return Measurement.error(WANTED, "no CloudWatch alarm named " + name);
    }
    return switch (state) {
      case "OK" -> Measurement.passed(state, WANTED);
      case "ALARM" -> Measurement.failed(state, WANTED);
      case "INSUFFICIENT_DATA" -> Measurement.noData(WANTED, "alarm " + name + " is INSUFFICIENT_DATA");
      default -> Measurement.error(WANTED, "alarm " + name + " is in unknown state " + state);
    };
  }
}
