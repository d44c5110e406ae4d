package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.analysis.Measurement.Outcome;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.CloudWatchAlarmMetric;
import dev.blueshift.operator.aws.AwsClients;
import dev.blueshift.operator.aws.cloudwatch.SdkCloudWatchAlarms;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsTestClients;
import dev.blueshift.operator.support.aws.TestAwsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Alarms not made by the operator (cloudWatchAlarm.alarmName), created in moto by "another team",
 * read by the provider through the operator's real SDK adapter: an OK of an alarm that treats
 * missing data as notBreaching is no data, never a pass.
 */
@Tag("aws")
class CloudWatchAlarmProviderOnMotoTest {
    private static final AnalysisTarget TARGET = new AnalysisTarget("ns", "shop", "abc123");

    // First: starts moto when needed, and sets the credentials the clients read.
    private final AwsEmulatorProxy proxy = AwsEmulator.proxy();
    private final CloudWatchClient operatorClient =
            new AwsClients(TestAwsConfig.viaProxy(), new SimpleMeterRegistry()).cloudWatch();
    private final CloudWatchClient otherTeam = AwsTestClients.cloudWatch();
    private final String prefix = "team-a/" + UUID.randomUUID().toString().substring(0, 8) + "/";
    private final CloudWatchAlarmProvider provider = new CloudWatchAlarmProvider(
            new SdkCloudWatchAlarms(operatorClient)::readings, "test", new AllowedAlarmNames(List.of("team-a/*")));

    @AfterEach
    void close() {
        otherTeam.deleteAlarms(r -> r.alarmNames(prefix + "quiet", prefix + "strict"));
        operatorClient.close();
        otherTeam.close();
    }

    private void alarm(String name, String treatMissingData) {
        otherTeam.putMetricAlarm(r -> r.alarmName(prefix + name)
                .namespace("TeamA")
                .metricName("Errors")
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .treatMissingData(treatMissingData));
    }

    private Measurement measure(String name) {
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("team-a");
        CloudWatchAlarmMetric cw = new CloudWatchAlarmMetric();
        cw.setAlarmName(prefix + name);
        metric.setCloudWatchAlarm(cw);
        return provider.measure(metric, TARGET);
    }

    @Test
    void anOkAlarmThatTreatsMissingDataAsNotBreachingIsNoDataAndOneThatTreatsItAsMissingPasses() {
        alarm("quiet", "notBreaching");
        alarm("strict", "missing");
        AwsTestClients.setAlarmState(otherTeam, prefix + "quiet", StateValue.OK, "test: no data, not breaching");
        AwsTestClients.setAlarmState(otherTeam, prefix + "strict", StateValue.OK, "test: below threshold");

        Measurement quiet = measure("quiet");
        assertThat(quiet.outcome()).isEqualTo(Outcome.NoData);
        assertThat(quiet.message()).contains(prefix + "quiet").contains("notBreaching");
        assertThat(measure("strict").outcome()).isEqualTo(Outcome.Passed);

        AwsTestClients.setAlarmState(otherTeam, prefix + "quiet", StateValue.ALARM, "test: errors");
        assertThat(measure("quiet").outcome()).isEqualTo(Outcome.Failed);
    }
}
