package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.analysis.Measurement.Outcome;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.CloudWatchAlarmMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alarm states as measurements, through the provider's own AlarmStates seam. */
class CloudWatchAlarmProviderTest {
  private static final AnalysisTarget TARGET = new AnalysisTarget("ns", "shop", "abc123");

  private static AnalysisMetric alarm(String name) {
    AnalysisMetric metric = new AnalysisMetric();
    metric.setName("alarm");
    CloudWatchAlarmMetric cw = new CloudWatchAlarmMetric();
    cw.setAlarmName(name);
    metric.setCloudWatchAlarm(cw);
    return metric;
  }

  private static Measurement measure(Map<String, String> states) {
    List<String> asked = new ArrayList<>();
    Measurement m = new CloudWatchAlarmProvider(names -> {
      asked.addAll(names);
      return states;
    }, "prod").measure(alarm("{{namespace}}-{{name}}-{{revision}}-errors"), TARGET);
    assertThat(asked).containsExactly("ns-shop-abc123-errors");
    return m;
  }

  @Test
  void okPassesAlarmFailsAndInsufficientDataIsNoData() {
    assertThat(measure(Map.of("ns-shop-abc123-errors", "OK")).outcome()).isEqualTo(Outcome.Passed);
    Measurement alarm = measure(Map.of("ns-shop-abc123-errors", "ALARM"));
    assertThat(alarm.outcome()).isEqualTo(Outcome.Failed);
    assertThat(alarm.value()).isEqualTo("ALARM");
    assertThat(alarm.threshold()).isEqualTo("OK");
    assertThat(measure(Map.of("ns-shop-abc123-errors", "INSUFFICIENT_DATA")).outcome()).isEqualTo(Outcome.NoData);
  }

  @Test
  void anAlarmOfTheMsdIsReadUnderTheNameTheOperatorGivesItForTheRevision() {
    AnalysisMetric metric = new AnalysisMetric();
    metric.setName("alarm");
    CloudWatchAlarmMetric cw = new CloudWatchAlarmMetric();
    cw.setAlarm("error-rate");
    metric.setCloudWatchAlarm(cw);
    List<String> asked = new ArrayList<>();
    Measurement m = new CloudWatchAlarmProvider(names -> {
      asked.addAll(names);
      return Map.of("blueshift/prod/ns/shop/error-rate/abc123", "ALARM");
    }, "prod").measure(metric, TARGET);
    assertThat(asked).containsExactly("blueshift/prod/ns/shop/error-rate/abc123");
    assertThat(m.outcome()).isEqualTo(Outcome.Failed);
  }

  @Test
  void aMissingAlarmOrAFailedCallIsAProviderError() {
    assertThat(measure(Map.of()).outcome()).isEqualTo(Outcome.Error);
    Measurement failed = new CloudWatchAlarmProvider(names -> {
      throw new IllegalStateException("throttled");
    }, "prod").measure(alarm("a"), TARGET);
    assertThat(failed.outcome()).isEqualTo(Outcome.Error);
    assertThat(failed.message()).contains("throttled");
  }
}
