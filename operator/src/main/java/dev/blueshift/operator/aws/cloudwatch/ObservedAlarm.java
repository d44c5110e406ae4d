package dev.blueshift.operator.aws.cloudwatch;

import java.util.Optional;

/** An alarm as CloudWatch describes it; no definition when it is not an error-rate alarm of our shape. */
public record ObservedAlarm(String alarmName, String state, Optional<AlarmDefinition> definition) {}
