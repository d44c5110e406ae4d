package dev.blueshift.operator.analysis;

import dev.blueshift.operator.aws.cloudwatch.AlarmReading;
import java.util.Collection;
import java.util.Map;

/**
 * What named CloudWatch alarms say now: state (OK, ALARM, INSUFFICIENT_DATA) and missing-data
 * treatment; alarms that do not exist are absent. Analysis only reads alarms: it gets this, not
 * the whole CloudWatch adapter, and never writes one.
 */
@FunctionalInterface
public interface AlarmStates {
    Map<String, AlarmReading> states(Collection<String> alarmNames);
}
