package dev.blueshift.operator.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blueshift.operator.aws.AwsCallMetrics;
import dev.blueshift.operator.aws.AwsClients;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsTestClients;
import dev.blueshift.operator.support.aws.FaultPlan;
import dev.blueshift.operator.support.aws.TestAwsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The real SDK CloudWatch client (Smithy RPC v2 CBOR) against moto, through the translating proxy:
 * alarm definitions round-trip, states read 100 names a call, errors map to the SDK's exception
 * classes, and throttling and 5xx are retried with backoff.
 */
@Tag("aws")
class SdkCloudWatchAlarmsTest {
    private final AwsEmulatorProxy proxy = AwsEmulator.proxy();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CloudWatchClient client = new AwsClients(TestAwsConfig.viaProxy(), registry).cloudWatch();
    private final CloudWatchClient testClient = AwsTestClients.cloudWatch();
    private final SdkCloudWatchAlarms alarms = new SdkCloudWatchAlarms(client);
    private final String prefix =
            "blueshift/unit-" + UUID.randomUUID().toString().substring(0, 8) + "/shop/cart/";

    @BeforeEach
    void noFaults() {
        proxy.faults().clear();
    }

    @AfterEach
    void close() {
        proxy.faults().clear();
        alarms.delete(
                alarms.withPrefix(prefix).stream().map(ObservedAlarm::alarmName).toList());
        client.close();
        testClient.close();
    }

    @Test
    void anErrorRateAlarmReadsBackAsTheDefinitionThatWasPut() {
        DesiredAlarm alarm = alarm("errors", "abc123def0", 0.05);

        alarms.put(alarm);

        List<ObservedAlarm> observed = alarms.withPrefix(prefix);
        assertThat(observed).singleElement().satisfies(a -> {
            assertThat(a.alarmName()).isEqualTo(prefix + "errors/abc123def0");
            assertThat(a.definition()).contains(alarm.definition());
            assertThat(a.state()).isIn("OK", "INSUFFICIENT_DATA");
        });
    }

    @Test
    void aChangedThresholdIsADifferentDefinition() {
        alarms.put(alarm("errors", "rev1", 0.05));

        assertThat(alarms.withPrefix(prefix).get(0).definition())
                .isNotEqualTo(
                        java.util.Optional.of(alarm("errors", "rev1", 0.10).definition()));
    }

    @Test
    void statesAreReadAHundredNamesPerCallAndFollowSetAlarmState() {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            DesiredAlarm alarm = alarm("a" + i, "rev", 0.05);
            alarms.put(alarm);
            names.add(alarm.alarmName());
        }
        AwsTestClients.setAlarmState(testClient, names.get(7), StateValue.ALARM, "test: errors above threshold");
        proxy.clearCalls();

        Map<String, String> states = alarms.states(names);

        assertThat(states).hasSize(150).containsEntry(names.get(7), "ALARM").containsEntry(names.get(8), "OK");
        assertThat(AwsEmulatorProxy.count(proxy.calls()))
                .containsExactlyEntriesOf(Map.of("monitoring:DescribeAlarms", 2L));
    }

    @Test
    void cloudWatchErrorsArriveAsTheSdksExceptionClasses() {
        ResourceNotFoundException e = catchThrowableOfType(
                ResourceNotFoundException.class,
                () -> AwsTestClients.setAlarmState(testClient, prefix + "does-not-exist", StateValue.ALARM, "x"));

        assertThat(e).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFound");
    }

    @Test
    void throttlingIsRetriedWithBackoffUntilItSucceeds() {
        proxy.faults().throttle("monitoring", "PutMetricAlarm", 2);
        proxy.clearCalls();

        alarms.put(alarm("errors", "rev", 0.05));

        assertThat(proxy.calls())
                .filteredOn(c -> c.operation().equals("PutMetricAlarm"))
                .extracting(AwsEmulatorProxy.Call::fault)
                .containsExactly("THROTTLE", "THROTTLE", null);
        assertThat(registry.counter(AwsCallMetrics.ATTEMPTS, "service", "CloudWatch", "operation", "PutMetricAlarm")
                        .count())
                .isEqualTo(3);
        assertThat(registry.counter(
                                AwsCallMetrics.CALLS,
                                "service",
                                "CloudWatch",
                                "operation",
                                "PutMetricAlarm",
                                "outcome",
                                "success")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void serverErrorsBeyondTheRetryBudgetFailTheCall() {
        proxy.faults().serverError("monitoring", "DescribeAlarms", FaultPlan.UNTIL_CLEARED);

        CloudWatchException e = catchThrowableOfType(CloudWatchException.class, () -> alarms.withPrefix(prefix));

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(registry.counter(
                                AwsCallMetrics.CALLS,
                                "service",
                                "CloudWatch",
                                "operation",
                                "DescribeAlarms",
                                "outcome",
                                "server_error")
                        .count())
                .isEqualTo(1);
        assertThat(registry.counter(AwsCallMetrics.ATTEMPTS, "service", "CloudWatch", "operation", "DescribeAlarms")
                        .count())
                .isEqualTo(4);
    }

    private DesiredAlarm alarm(String name, String revision, double threshold) {
        TreeMap<String, String> dimensions = new TreeMap<>(Map.of("Service", "cart", "Revision", revision));
        return new DesiredAlarm(
                prefix + name + "/" + revision,
                name,
                revision,
                new AlarmDefinition(
                        "Blueshift/SampleService",
                        "Errors",
                        "Requests",
                        dimensions,
                        60,
                        3,
                        2,
                        threshold,
                        "missing",
                        "test alarm " + name),
                Map.of("blueshift.dev/managed-by", "blueshift"));
    }
}
