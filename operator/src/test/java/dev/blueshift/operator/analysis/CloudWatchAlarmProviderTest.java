package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.analysis.Measurement.Outcome;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.CloudWatchAlarmMetric;
import dev.blueshift.operator.aws.cloudwatch.AlarmReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alarm states as measurements, through the provider's own AlarmStates seam. */
class CloudWatchAlarmProviderTest {
    private static final AnalysisTarget TARGET = new AnalysisTarget("ns", "shop", "abc123");
    private static final AllowedAlarmNames ANY = new AllowedAlarmNames(List.of("*"));

    private static AnalysisMetric alarmName(String name) {
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("alarm");
        CloudWatchAlarmMetric cw = new CloudWatchAlarmMetric();
        cw.setAlarmName(name);
        metric.setCloudWatchAlarm(cw);
        return metric;
    }

    private static AnalysisMetric ownAlarm(String alarm) {
        AnalysisMetric metric = new AnalysisMetric();
        metric.setName("alarm");
        CloudWatchAlarmMetric cw = new CloudWatchAlarmMetric();
        cw.setAlarm(alarm);
        metric.setCloudWatchAlarm(cw);
        return metric;
    }

    private static AlarmReading reading(String state) {
        return new AlarmReading(state, "missing");
    }

    private static Measurement measure(Map<String, AlarmReading> readings) {
        List<String> asked = new ArrayList<>();
        Measurement m = new CloudWatchAlarmProvider(
                        names -> {
                            asked.addAll(names);
                            return readings;
                        },
                        "prod",
                        ANY)
                .measure(alarmName("{{namespace}}-{{name}}-{{revision}}-errors"), TARGET);
        assertThat(asked).containsExactly("ns-shop-abc123-errors");
        return m;
    }

    @Test
    void okPassesAlarmFailsAndInsufficientDataIsNoData() {
        assertThat(measure(Map.of("ns-shop-abc123-errors", reading("OK"))).outcome())
                .isEqualTo(Outcome.Passed);
        Measurement alarm = measure(Map.of("ns-shop-abc123-errors", reading("ALARM")));
        assertThat(alarm.outcome()).isEqualTo(Outcome.Failed);
        assertThat(alarm.value()).isEqualTo("ALARM");
        assertThat(alarm.threshold()).isEqualTo("OK");
        assertThat(measure(Map.of("ns-shop-abc123-errors", reading("INSUFFICIENT_DATA")))
                        .outcome())
                .isEqualTo(Outcome.NoData);
    }

    @Test
    void theOkOfAnAlarmThatTreatsMissingDataAsNotBreachingIsNoDataNeverAPass() {
        Measurement m = measure(Map.of("ns-shop-abc123-errors", new AlarmReading("OK", "notBreaching")));
        assertThat(m.outcome()).isEqualTo(Outcome.NoData);
        assertThat(m.message())
                .contains("ns-shop-abc123-errors")
                .contains("notBreaching")
                .contains("never passes");
        // Its ALARM still fails, and the other treatments' OK passes.
        assertThat(measure(Map.of("ns-shop-abc123-errors", new AlarmReading("ALARM", "notBreaching")))
                        .outcome())
                .isEqualTo(Outcome.Failed);
        for (String treatment : List.of("missing", "breaching", "ignore")) {
            assertThat(measure(Map.of("ns-shop-abc123-errors", new AlarmReading("OK", treatment)))
                            .outcome())
                    .as(treatment)
                    .isEqualTo(Outcome.Passed);
        }
    }

    @Test
    void anAlarmOfTheMsdIsReadUnderTheNameTheOperatorGivesItForTheRevision() {
        List<String> asked = new ArrayList<>();
        Measurement m = new CloudWatchAlarmProvider(
                        names -> {
                            asked.addAll(names);
                            return Map.of("blueshift/prod/ns/shop/error-rate/abc123", reading("ALARM"));
                        },
                        "prod",
                        AllowedAlarmNames.none())
                .measure(ownAlarm("error-rate"), TARGET);
        assertThat(asked).containsExactly("blueshift/prod/ns/shop/error-rate/abc123");
        assertThat(m.outcome()).isEqualTo(Outcome.Failed);
    }

    @Test
    void aForeignAlarmNameIsRefusedBeforeAnyAwsCallUnlessTheAdminAllowsIt() {
        List<String> asked = new ArrayList<>();
        AlarmStates recording = names -> {
            asked.addAll(names);
            return Map.of("team-a/ns-shop-abc123", reading("OK"), "blueshift/prod/other/db/errors/x", reading("OK"));
        };
        Measurement refused = new CloudWatchAlarmProvider(recording, "prod", AllowedAlarmNames.none())
                .measure(alarmName("team-a/{{namespace}}-{{name}}-{{revision}}"), TARGET);
        assertThat(refused.outcome()).isEqualTo(Outcome.Error);
        assertThat(refused.message())
                .isEqualTo("cloudWatchAlarm.alarmName team-a/ns-shop-abc123 is not allowed by the operator"
                        + " (blueshift.analysis.allowed-alarm-names); ask the cluster admin, or use cloudWatchAlarm.alarm with an alarm of"
                        + " spec.aws.alarms");
        assertThat(asked).isEmpty();

        CloudWatchAlarmProvider teamA =
                new CloudWatchAlarmProvider(recording, "prod", new AllowedAlarmNames(List.of("team-a/*")));
        assertThat(teamA.measure(alarmName("team-a/{{namespace}}-{{name}}-{{revision}}"), TARGET)
                        .outcome())
                .isEqualTo(Outcome.Passed);
        assertThat(asked).containsExactly("team-a/ns-shop-abc123");
        // Another MSD's alarm, named literally, matches no pattern: refused, not read.
        assertThat(teamA.measure(alarmName("blueshift/prod/other/db/errors/x"), TARGET)
                        .message())
                .contains("is not allowed");
        assertThat(asked).containsExactly("team-a/ns-shop-abc123");
    }

    @Test
    void alarmNamePatternsMatchTheWholeNameWithStarForAnything() {
        AllowedAlarmNames allowed = new AllowedAlarmNames(List.of("team-a/*", "exact-name", "*-canary-*", " "));
        assertThat(allowed.allows("team-a/x")).isTrue();
        assertThat(allowed.allows("team-a/")).isTrue();
        assertThat(allowed.allows("team-a/deep/er")).isTrue();
        assertThat(allowed.allows("team-ab/x")).isFalse();
        assertThat(allowed.allows("x/team-a/x")).isFalse();
        assertThat(allowed.allows("exact-name")).isTrue();
        assertThat(allowed.allows("exact-name2")).isFalse();
        assertThat(allowed.allows("exact.name")).isFalse(); // '.' is not a wildcard
        assertThat(allowed.allows("shop-canary-1")).isTrue();
        assertThat(allowed.allows("")).isFalse();
        assertThat(AllowedAlarmNames.none().allows("anything")).isFalse();
        assertThat(new AllowedAlarmNames(List.of("a.*")).allows("abc")).isFalse();
        assertThat(new AllowedAlarmNames(List.of("a.*")).allows("a.bc")).isTrue();
    }

    @Test
    void aMissingAlarmOrAFailedCallIsAProviderError() {
        assertThat(measure(Map.of()).outcome()).isEqualTo(Outcome.Error);
        Measurement failed = new CloudWatchAlarmProvider(
                        names -> {
                            throw new IllegalStateException("throttled");
                        },
                        "prod",
                        ANY)
                .measure(alarmName("a"), TARGET);
        assertThat(failed.outcome()).isEqualTo(Outcome.Error);
        assertThat(failed.message()).contains("throttled");
    }
}
