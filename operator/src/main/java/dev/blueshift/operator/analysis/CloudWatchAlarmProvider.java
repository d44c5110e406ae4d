package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.CloudWatchAlarmMetric;
import dev.blueshift.operator.aws.cloudwatch.AlarmNames;
import dev.blueshift.operator.aws.cloudwatch.AlarmReading;
import java.util.List;
import java.util.Map;

/**
 * The state of a CloudWatch alarm as a measurement: ALARM fails, OK passes, INSUFFICIENT_DATA is
 * no data; a missing alarm or a failed call is a provider error. An alarm that treats missing data
 * as notBreaching is OK without any data, so its OK is no data, never a pass. An alarm named by
 * {@code alarmName} (not made for this MSD) is read only when the cluster admin's
 * {@link AllowedAlarmNames} allow its name; otherwise it is a provider error, and AWS is not asked.
 */
public class CloudWatchAlarmProvider implements MetricProvider {
    private static final String WANTED = "OK";
    private static final String NOT_BREACHING = "notBreaching";

    private final AlarmStates alarms;
    private final String cluster;
    private final AllowedAlarmNames allowedNames;

    /**
     * @param cluster this cluster's name, part of the names of the MSDs' own alarms
     * @param allowedNames the alarms an {@code alarmName} may name
     */
    public CloudWatchAlarmProvider(AlarmStates alarms, String cluster, AllowedAlarmNames allowedNames) {
        this.alarms = alarms;
        this.cluster = cluster;
        this.allowedNames = allowedNames;
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
        if (metric.getCloudWatchAlarm().getAlarmName() != null && !allowedNames.allows(name)) {
            return Measurement.error(
                    WANTED,
                    "cloudWatchAlarm.alarmName " + Excerpt.of(name, 255) + " is not allowed by the operator ("
                            + AllowedAlarmNames.SETTING
                            + "); ask the cluster admin, or use cloudWatchAlarm.alarm with an alarm of spec.aws.alarms");
        }
        Map<String, AlarmReading> readings;
        try {
            readings = alarms.states(List.of(name));
        } catch (RuntimeException e) {
            return Measurement.error(WANTED, "DescribeAlarms failed: " + Excerpt.of(e.getMessage(), 200));
        }
        AlarmReading reading = readings.get(name);
        if (reading == null) {
            return Measurement.error(WANTED, "no CloudWatch alarm named " + name);
        }
        String state = reading.state();
        return switch (state) {
            case "OK" ->
                NOT_BREACHING.equals(reading.treatMissingData())
                        ? Measurement.noData(
                                WANTED,
                                "alarm " + name + " is OK but treats missing data as notBreaching, so its OK may"
                                        + " mean no data; it never passes a release")
                        : Measurement.passed(state, WANTED);
            case "ALARM" -> Measurement.failed(state, WANTED);
            case "INSUFFICIENT_DATA" -> Measurement.noData(WANTED, "alarm " + name + " is INSUFFICIENT_DATA");
            default -> Measurement.error(WANTED, "alarm " + name + " is in unknown state " + Excerpt.of(state, 40));
        };
    }
}
