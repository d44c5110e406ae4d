package dev.blueshift.operator.aws.cloudwatch;

import java.util.Map;

/** An alarm that should exist: one alarm of the spec for one revision. */
public record DesiredAlarm(
        String alarmName, String name, String revision, AlarmDefinition definition, Map<String, String> tags) {}
