package dev.blueshift.operator.analysis;

import dev.blueshift.operator.aws.cloudwatch.AlarmNames;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.CloudWatchAlarmMetric;
import java.util.List;
import java.util.Map;

/**
 * The state of a CloudWatch alarm as a measurement: ALARM fails, OK passes, INSUFFICIENT_DATA is
 * no data; a missing alarm or a failed call is a provider error.
 */
public class CloudWatchAlarmProvider implements MetricProvider {
  private static final String WANTED = "OK";

  private final AlarmStates alarms;
  private final String cluster;

  /** @param cluster this cluster's name, part of the names of the MSDs' own alarms */
  public CloudWatchAlarmProvider(AlarmStates alarms, String cluster) {
    this.alarms = alarms;
    this.cluster = cluster;
  }

  /**
   * The CloudWatch name of the metric's alarm: the literal alarmName with its placeholders filled, or
   * the name the operator gives its own alarm {@code alarm} for this revision,
   * {@code blueshift/<cluster>/<namespace>/<msd>/<alarm>/<revision>} (as aws/cloudwatch names them).
   */
  String alarmName(CloudWatchAlarmMetric metric, AnalysisTarget target) {
    if (metric.getAlarmName() != null) {
      return target.render(metric.getAlarmName());
    }
    return AlarmNames.of(cluster, target.namespace(), target.name(), metric.getAlarm(), target.revision());
  }

  @Override
  public boolean handles(AnalysisMetric metric) {
    return metric.getCloudWatchAlarm() != null;
  }

  @Override
  public Measurement measure(AnalysisMetric metric, AnalysisTarget target) {
    String name = alarmName(metric.getCloudWatchAlarm(), target);
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
