package dev.blueshift.operator.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.aws.AwsClients;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsTestClients;
import dev.blueshift.operator.support.aws.TestAwsConfig;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The shared poller's cost: DescribeAlarm calls per poll interval grow with alarms / 100, not with
 * MSDs; a state change reaches exactly the MSDs that own the changed alarms. Prints the counts.
 */
@Tag("aws")
class AlarmPollerCallCountTest {
    static final int ALARMS_PER_MSD = 4; // 2 alarms x 2 live revisions

    final AwsEmulatorProxy proxy = AwsEmulator.proxy();
    final CloudWatchClient operatorClient =
            new AwsClients(TestAwsConfig.viaProxy(), new SimpleMeterRegistry()).cloudWatch();
    final CloudWatchClient testClient = AwsTestClients.cloudWatch();
    final SdkCloudWatchAlarms alarms = new SdkCloudWatchAlarms(operatorClient);
    final String prefix = "blueshift/poll-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    final List<String> created = new ArrayList<>();

    @AfterEach
    void deleteAlarms() {
        new SdkCloudWatchAlarms(testClient).delete(created);
        operatorClient.close();
        testClient.close();
    }

    /** Setting up 1000 alarms one call at a time is the slow part of this test: 8 at once. */
    private void createInParallel(List<String> names) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CompletableFuture.allOf(names.stream()
                            .map(name -> CompletableFuture.runAsync(
                                    () -> testClient.putMetricAlarm(r -> r.alarmName(name)
                                            .namespace("Blueshift/SampleService")
                                            .metricName("Errors")
                                            .statistic("Sum")
                                            .period(60)
                                            .evaluationPeriods(1)
                                            .threshold(1.0)
                                            .comparisonOperator("GreaterThanThreshold")),
                                    pool))
                            .toArray(CompletableFuture[]::new))
                    .join();
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} alarms")
    @ValueSource(ints = {100, 1000})
    void callsPerPollIntervalGrowWithAlarmsOverAHundred(int alarmCount) {
        AlarmPoller poller = new AlarmPoller(() -> alarms);
        Map<ResourceID, List<String>> byMsd = new HashMap<>();
        int msds = alarmCount / ALARMS_PER_MSD;
        for (int m = 0; m < msds; m++) {
            ResourceID msd = new ResourceID("svc-" + m, "shop");
            List<String> names = new ArrayList<>();
            for (int a = 0; a < ALARMS_PER_MSD; a++) {
                names.add(prefix + "shop/svc-" + m + "/alarm-" + (a % 2) + "/rev" + (a / 2));
            }
            created.addAll(names);
            byMsd.put(msd, names);
            poller.watch(msd, names, Map.of());
        }
        createInParallel(created);
        poller.pollOnce(); // learns every state

        AwsTestClients.setAlarmState(
                testClient, byMsd.get(new ResourceID("svc-3", "shop")).get(0), StateValue.ALARM, "test");
        AwsTestClients.setAlarmState(
                testClient, byMsd.get(new ResourceID("svc-7", "shop")).get(3), StateValue.ALARM, "test");
        proxy.clearCalls();
        Set<ResourceID> changed = poller.pollOnce();

        long calls = proxy.calls().stream()
                .filter(c -> c.operation().equals("DescribeAlarms"))
                .count();
        System.out.printf(
                "[aws-calls] one poll interval, %d alarms of %d MSDs: %d DescribeAlarms call(s), %d MSD(s) to reconcile%n",
                alarmCount, msds, calls, changed.size());
        assertThat(proxy.calls()).hasSize((int) calls);
        assertThat(calls).isEqualTo((alarmCount + 99) / 100);
        assertThat(changed).containsExactlyInAnyOrder(new ResourceID("svc-3", "shop"), new ResourceID("svc-7", "shop"));
        assertThat(poller.watchedAlarms()).isEqualTo(alarmCount);
    }
}
