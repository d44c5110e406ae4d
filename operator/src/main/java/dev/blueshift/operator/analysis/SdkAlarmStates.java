package dev.blueshift.operator.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/** {@link AlarmStates} read with CloudWatch DescribeAlarms, 100 names a call (CloudWatch's limit). */
public class SdkAlarmStates implements AlarmStates {
  static final int MAX_NAMES_PER_CALL = 100;

  private final CloudWatchClient cloudWatch;

  public SdkAlarmStates(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @Override
  public Map<String, String> states(Collection<String> alarmNames) {
    List<String> names = new ArrayList<>(alarmNames);
    Map<String, String> states = new HashMap<>();
    for (int from = 0; from < names.size(); from += MAX_NAMES_PER_CALL) {
      List<String> batch = names.subList(from, Math.min(names.size(), from + MAX_NAMES_PER_CALL));
      cloudWatch.describeAlarmsPaginator(DescribeAlarmsRequest.builder().alarmNames(batch).maxRecords(100).build())
          .metricAlarms()
          .forEach((MetricAlarm alarm) -> states.put(alarm.alarmName(), alarm.stateValueAsString()));
    }
    return states;
  }
}
