package dev.blueshift.operator.analysis;

import java.util.Collection;
import java.util.Map;

/** The current state (OK, ALARM, INSUFFICIENT_DATA) of named CloudWatch alarms; alarms that do not exist are absent. */
@FunctionalInterface
public interface AlarmStates {
  Map<String, String> states(Collection<String> alarmNames);
}
