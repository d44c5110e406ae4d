package dev.blueshift.operator.aws.cloudwatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/** {@link CloudWatchAlarms} on the AWS SDK's CloudWatch client. */
public class SdkCloudWatchAlarms implements CloudWatchAlarms {
    private final CloudWatchClient cloudWatch;

    public SdkCloudWatchAlarms(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public List<ObservedAlarm> withPrefix(String prefix) {
        List<ObservedAlarm> alarms = new ArrayList<>();
        cloudWatch
                .describeAlarmsPaginator(r -> r.alarmNamePrefix(prefix)
                        .alarmTypes(AlarmType.METRIC_ALARM)
                        .maxRecords(MAX_NAMES_PER_CALL))
                .metricAlarms()
                .forEach(a -> alarms.add(new ObservedAlarm(a.alarmName(), a.stateValueAsString(), definition(a))));
        return alarms;
    }

    @Override
    public void put(DesiredAlarm alarm) {
        AlarmDefinition d = alarm.definition();
        cloudWatch.putMetricAlarm(r -> r.alarmName(alarm.alarmName())
                .alarmDescription(d.description())
                .actionsEnabled(false)
                .metrics(
                        stat(AlarmDefinition.ERRORS_ID, d.errorsMetric(), d),
                        stat(AlarmDefinition.REQUESTS_ID, d.requestsMetric(), d),
                        MetricDataQuery.builder()
                                .id(AlarmDefinition.RATE_ID)
                                .expression(AlarmDefinition.RATE_EXPRESSION)
                                .label("Error rate")
                                .returnData(true)
                                .build())
                .threshold(d.threshold())
                .comparisonOperator(AlarmDefinition.COMPARISON)
                .evaluationPeriods(d.evaluationPeriods())
                .datapointsToAlarm(d.datapointsToAlarm())
                .treatMissingData(d.treatMissingData())
                .tags(alarm.tags().entrySet().stream()
                        .map(e -> Tag.builder()
                                .key(e.getKey())
                                .value(e.getValue())
                                .build())
                        .toList()));
    }

    @Override
    public void delete(Collection<String> alarmNames) {
        for (List<String> chunk : chunks(alarmNames)) {
            cloudWatch.deleteAlarms(r -> r.alarmNames(chunk));
        }
    }

    @Override
    public Map<String, AlarmReading> readings(Collection<String> alarmNames) {
        Map<String, AlarmReading> states = new HashMap<>();
        for (List<String> chunk : chunks(alarmNames)) {
            // One call per 100 names: maxRecords defaults to 50, so ask for all of them at once.
            cloudWatch
                    .describeAlarms(r -> r.alarmNames(chunk)
                            .alarmTypes(AlarmType.METRIC_ALARM)
                            .maxRecords(MAX_NAMES_PER_CALL))
                    .metricAlarms()
                    .forEach(a -> states.put(
                            a.alarmName(),
                            new AlarmReading(
                                    a.stateValueAsString(),
                                    a.treatMissingData() == null
                                            ? AlarmReading.DEFAULT_TREAT_MISSING_DATA
                                            : a.treatMissingData())));
        }
        return states;
    }

    private static MetricDataQuery stat(String id, String metric, AlarmDefinition d) {
        return MetricDataQuery.builder()
                .id(id)
                .returnData(false)
                .metricStat(MetricStat.builder()
                        .metric(m -> m.namespace(d.namespace())
                                .metricName(metric)
                                .dimensions(d.dimensions().entrySet().stream()
                                        .map(e -> Dimension.builder()
                                                .name(e.getKey())
                                                .value(e.getValue())
                                                .build())
                                        .toList()))
                        .period(d.period())
                        .stat(AlarmDefinition.STATISTIC)
                        .build())
                .build();
    }

    /** The definition of an alarm of our shape (errors, requests, errors / requests), else empty. */
    static Optional<AlarmDefinition> definition(MetricAlarm alarm) {
        Map<String, MetricDataQuery> byId = new HashMap<>();
        alarm.metrics().forEach(q -> byId.put(q.id(), q));
        MetricDataQuery errors = byId.get(AlarmDefinition.ERRORS_ID);
        MetricDataQuery requests = byId.get(AlarmDefinition.REQUESTS_ID);
        MetricDataQuery rate = byId.get(AlarmDefinition.RATE_ID);
        if (byId.size() != 3
                || errors == null
                || requests == null
                || rate == null
                || errors.metricStat() == null
                || requests.metricStat() == null
                || !AlarmDefinition.RATE_EXPRESSION.equals(rate.expression())
                || alarm.threshold() == null
                || alarm.evaluationPeriods() == null
                || !AlarmDefinition.COMPARISON.equals(alarm.comparisonOperatorAsString())) {
            return Optional.empty();
        }
        MetricStat e = errors.metricStat();
        MetricStat r = requests.metricStat();
        TreeMap<String, String> dimensions = new TreeMap<>();
        e.metric().dimensions().forEach(dim -> dimensions.put(dim.name(), dim.value()));
        TreeMap<String, String> requestDimensions = new TreeMap<>();
        r.metric().dimensions().forEach(dim -> requestDimensions.put(dim.name(), dim.value()));
        if (!dimensions.equals(requestDimensions)
                || !e.metric().namespace().equals(r.metric().namespace())
                || !AlarmDefinition.STATISTIC.equals(e.stat())
                || !AlarmDefinition.STATISTIC.equals(r.stat())
                || !e.period().equals(r.period())) {
            return Optional.empty();
        }
        return Optional.of(new AlarmDefinition(
                e.metric().namespace(),
                e.metric().metricName(),
                r.metric().metricName(),
                dimensions,
                e.period(),
                alarm.evaluationPeriods(),
                alarm.datapointsToAlarm() == null ? alarm.evaluationPeriods() : alarm.datapointsToAlarm(),
                alarm.threshold(),
                alarm.treatMissingData() == null ? "missing" : alarm.treatMissingData(),
                alarm.alarmDescription()));
    }

    private static List<List<String>> chunks(Collection<String> names) {
        List<String> all = new ArrayList<>(names);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += MAX_NAMES_PER_CALL) {
            chunks.add(all.subList(i, Math.min(all.size(), i + MAX_NAMES_PER_CALL)));
        }
        return chunks;
    }
}
