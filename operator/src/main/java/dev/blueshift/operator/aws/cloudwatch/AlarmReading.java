package dev.blueshift.operator.aws.cloudwatch;

/**
 * What an alarm says now: its state (OK, ALARM, INSUFFICIENT_DATA) and how it treats periods
 * without data (breaching, notBreaching, ignore, missing), which tells whether its OK can mean "no data".
 */
public record AlarmReading(String state, String treatMissingData) {
    /** CloudWatch's treatment when an alarm names none. */
    public static final String DEFAULT_TREAT_MISSING_DATA = "missing";
}
