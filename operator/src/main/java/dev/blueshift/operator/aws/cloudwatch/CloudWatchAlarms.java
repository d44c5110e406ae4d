package dev.blueshift.operator.aws.cloudwatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** CloudWatch alarms, as the operator needs them. {@link SdkCloudWatchAlarms} is the AWS SDK implementation. */
public interface CloudWatchAlarms {
    /** CloudWatch's limit of alarm names in one DescribeAlarms (and DeleteAlarms) call. */
    int MAX_NAMES_PER_CALL = 100;

    /** Every metric alarm whose name starts with {@code prefix}. */
    List<ObservedAlarm> withPrefix(String prefix);

    /** Creates or replaces the alarm. */
    void put(DesiredAlarm alarm);

    /** Deletes the alarms; names that do not exist are no error. */
    void delete(Collection<String> alarmNames);

    /** The state and missing-data treatment of each named alarm that exists, in calls of at most {@link #MAX_NAMES_PER_CALL} names. */
    Map<String, AlarmReading> readings(Collection<String> alarmNames);

    /** The state of each named alarm that exists, as {@link #readings} reads it. */
    default Map<String, String> states(Collection<String> alarmNames) {
        Map<String, String> states = new HashMap<>();
        readings(alarmNames).forEach((name, reading) -> states.put(name, reading.state()));
        return states;
    }
}
