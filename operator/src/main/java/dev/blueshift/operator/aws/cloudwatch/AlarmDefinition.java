package dev.blueshift.operator.aws.cloudwatch;

import java.util.SortedMap;

/**
 * What an error-rate alarm computes and when it fires: errors / requests of metrics with these
 * dimensions (the revision among them), over {@code period} seconds. Two equal definitions need no
 * write.
 */
public record AlarmDefinition(
        String namespace,
        String errorsMetric,
        String requestsMetric,
        SortedMap<String, String> dimensions,
        int period,
        int evaluationPeriods,
        int datapointsToAlarm,
        double threshold,
        String treatMissingData,
        String description) {
    /** Metric-math ids of the alarm's queries. */
    public static final String ERRORS_ID = "errors";

    public static final String REQUESTS_ID = "requests";
    public static final String RATE_ID = "error_rate";
    public static final String RATE_EXPRESSION = ERRORS_ID + " / " + REQUESTS_ID;
    public static final String STATISTIC = "Sum";
    public static final String COMPARISON = "GreaterThanThreshold";
}
