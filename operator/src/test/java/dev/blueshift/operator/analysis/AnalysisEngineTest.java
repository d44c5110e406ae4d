package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.analysis.AnalysisEngine.Evaluation;
import dev.blueshift.operator.api.v1alpha1.spec.NoDataPolicy;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.MetricStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.release.bluegreen.ReleaseStage;
import dev.blueshift.operator.release.bluegreen.StageVerdict.Outcome;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stage analysis, step by step: each test feeds the engine the status it wrote the step before. */
class AnalysisEngineTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String REV = "abc123";

    private static StageSettings settings(
            ReleaseStage stage, int durationSeconds, int failureLimit, int errorLimit, NoDataPolicy noData) {
        return new StageSettings(
                stage,
                Duration.ofSeconds(10),
                Duration.ofSeconds(durationSeconds),
                failureLimit,
                errorLimit,
                noData,
                List.of("error-rate", "latency"));
    }

    private static final StageSettings POST_30S =
            settings(ReleaseStage.PostPromotion, 30, 0, 2, NoDataPolicy.Inconclusive);

    private static Map<String, Measurement> both(Measurement errorRate, Measurement latency) {
        Map<String, Measurement> m = new LinkedHashMap<>();
        if (errorRate != null) {
            m.put("error-rate", errorRate);
        }
        if (latency != null) {
            m.put("latency", latency);
        }
        return m;
    }

    private static final Measurement OK = Measurement.passed("0.01", "< 0.05");
    private static final Measurement BAD = Measurement.failed("0.5", "< 0.05");
    private static final Measurement EMPTY = Measurement.noData("< 0.05", "empty result");
    private static final Measurement DOWN = Measurement.error("< 0.05", "Prometheus at http://127.0.0.1:1 unreachable");

    private static MetricStatus metric(Evaluation e, String name) {
        return e.status().getMetrics().stream()
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aStageRunsUntilItsDurationEndsThenPassesWhenEveryLastMeasurementPassed() {
        Evaluation first = AnalysisEngine.evaluate(POST_30S, REV, null, both(OK, OK), T0);
        assertThat(first.verdict().outcome()).isEqualTo(Outcome.Running);
        assertThat(first.status().getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(first.nextAt()).contains(T0.plusSeconds(10));

        Evaluation second = AnalysisEngine.evaluate(POST_30S, REV, first.status(), both(OK, OK), T0.plusSeconds(10));
        assertThat(second.verdict().outcome()).isEqualTo(Outcome.Running);
        assertThat(metric(second, "error-rate").getMeasurements()).isEqualTo(2);

        Evaluation last = AnalysisEngine.evaluate(POST_30S, REV, second.status(), both(OK, OK), T0.plusSeconds(30));
        assertThat(last.verdict().outcome()).isEqualTo(Outcome.Passed);
        assertThat(last.status().getVerdict()).isEqualTo("Passed");
        assertThat(last.nextAt()).isEmpty();
        assertThat(metric(last, "latency").getValue()).isEqualTo("0.01");
        assertThat(metric(last, "latency").getThreshold()).isEqualTo("< 0.05");
    }

    @Test
    void aPassedStageStaysPassedAndMeasuresNothingMore() {
        StageSettings pre0 = settings(ReleaseStage.PrePromotion, 0, 0, 2, NoDataPolicy.Inconclusive);
        Evaluation passed = AnalysisEngine.evaluate(pre0, REV, null, both(OK, OK), T0);
        assertThat(passed.verdict().outcome()).isEqualTo(Outcome.Passed);
        assertThat(AnalysisEngine.due(pre0, REV, passed.status(), T0.plusSeconds(60)))
                .isEmpty();
        assertThat(AnalysisEngine.evaluate(pre0, REV, passed.status(), Map.of(), T0.plusSeconds(60))
                        .verdict()
                        .outcome())
                .isEqualTo(Outcome.Passed);
    }

    @Test
    void aFailedMeasurementBeyondTheFailureLimitFailsTheStageNamingMetricValueAndThreshold() {
        Evaluation e = AnalysisEngine.evaluate(POST_30S, REV, null, both(BAD, OK), T0);
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Failed);
        assertThat(e.verdict().message()).contains("error-rate").contains("0.5").contains("< 0.05");
        assertThat(e.failedMetric()).contains("error-rate");
        assertThat(metric(e, "error-rate").getFailures()).isEqualTo(1);
        assertThat(e.status().getVerdict()).isEqualTo("Failed");
    }

    @Test
    void failuresWithinTheLimitAreToleratedAndCountedAcrossReconciles() {
        StageSettings tolerant = settings(ReleaseStage.PrePromotion, 30, 1, 2, NoDataPolicy.Inconclusive);
        Evaluation one = AnalysisEngine.evaluate(tolerant, REV, null, both(BAD, OK), T0);
        assertThat(one.verdict().outcome()).isEqualTo(Outcome.Running);
        Evaluation two = AnalysisEngine.evaluate(tolerant, REV, one.status(), both(BAD, null), T0.plusSeconds(10));
        assertThat(two.verdict().outcome()).isEqualTo(Outcome.Failed);
        assertThat(metric(two, "error-rate").getFailures()).isEqualTo(2);
    }

    @Test
    void providerErrorsAreNeverAPassAndFailTheStageBeyondTheConsecutiveErrorLimit() {
        StageSettings pre0 = settings(ReleaseStage.PrePromotion, 0, 0, 2, NoDataPolicy.Inconclusive);
        Evaluation e = AnalysisEngine.evaluate(pre0, REV, null, both(DOWN, OK), T0);
        for (int i = 1; i <= 2; i++) {
            assertThat(e.verdict().outcome()).as("after %d errors", i).isEqualTo(Outcome.Running);
            e = AnalysisEngine.evaluate(pre0, REV, e.status(), both(DOWN, null), T0.plusSeconds(10L * i));
        }
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Failed);
        assertThat(e.verdict().message())
                .contains("error-rate")
                .contains("3 provider errors in a row")
                .contains("unreachable");
        assertThat(metric(e, "error-rate").getConsecutiveErrors()).isEqualTo(3);
    }

    @Test
    void aSuccessfulMeasurementResetsTheConsecutiveErrors() {
        Evaluation e = AnalysisEngine.evaluate(POST_30S, REV, null, both(DOWN, OK), T0);
        e = AnalysisEngine.evaluate(POST_30S, REV, e.status(), both(DOWN, null), T0.plusSeconds(10));
        e = AnalysisEngine.evaluate(POST_30S, REV, e.status(), both(OK, null), T0.plusSeconds(20));
        e = AnalysisEngine.evaluate(POST_30S, REV, e.status(), both(DOWN, null), T0.plusSeconds(25));
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Running);
        assertThat(metric(e, "error-rate").getConsecutiveErrors()).isEqualTo(1);
    }

    @Test
    void noDataWithInconclusiveNeverPassesAndFailsWhenTheStageEndsWithoutData() {
        Evaluation e = AnalysisEngine.evaluate(POST_30S, REV, null, both(EMPTY, OK), T0);
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Running);
        assertThat(metric(e, "error-rate").getFailures()).isZero();
        e = AnalysisEngine.evaluate(POST_30S, REV, e.status(), both(EMPTY, OK), T0.plusSeconds(30));
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Failed);
        assertThat(e.verdict().message()).startsWith("no data: error-rate");
        assertThat(e.failedMetric()).contains("error-rate");
    }

    @Test
    void aMetricWithoutDataIsMeasuredAgainWhenTheStageEndsBeforeNoDataFailsIt() {
        StageSettings shortStage = new StageSettings(
                ReleaseStage.PrePromotion,
                Duration.ofSeconds(8),
                Duration.ofSeconds(6),
                0,
                2,
                NoDataPolicy.Inconclusive,
                List.of("error-rate", "latency"));
        Evaluation e = AnalysisEngine.evaluate(shortStage, REV, null, both(EMPTY, OK), T0);
        assertThat(e.nextAt()).contains(T0.plusSeconds(6));
        assertThat(AnalysisEngine.due(shortStage, REV, e.status(), T0.plusSeconds(5)))
                .isEmpty();
        // At the end, the metric without data is measured afresh; the passing one waits for its interval.
        assertThat(AnalysisEngine.due(shortStage, REV, e.status(), T0.plusSeconds(6)))
                .containsExactly("error-rate");
        Evaluation end = AnalysisEngine.evaluate(shortStage, REV, e.status(), both(OK, null), T0.plusSeconds(6));
        assertThat(end.verdict().outcome()).isEqualTo(Outcome.Passed);
    }

    @Test
    void noDataWithInconclusivePassesWhenDataArrivesBeforeTheEnd() {
        Evaluation e = AnalysisEngine.evaluate(POST_30S, REV, null, both(EMPTY, OK), T0);
        e = AnalysisEngine.evaluate(POST_30S, REV, e.status(), both(OK, OK), T0.plusSeconds(30));
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Passed);
    }

    @Test
    void noDataWithFailCountsAsAFailedMeasurement() {
        StageSettings strict = settings(ReleaseStage.PrePromotion, 30, 0, 2, NoDataPolicy.Fail);
        Evaluation e = AnalysisEngine.evaluate(strict, REV, null, both(EMPTY, OK), T0);
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Failed);
        assertThat(e.verdict().message()).contains("error-rate = no data");
    }

    @Test
    void aStageOverWhoseLastMeasurementErredWaitsForTheNextMeasurementInsteadOfPassing() {
        StageSettings pre0 = settings(ReleaseStage.PrePromotion, 0, 0, 4, NoDataPolicy.Inconclusive);
        Evaluation e = AnalysisEngine.evaluate(pre0, REV, null, both(OK, DOWN), T0);
        assertThat(e.verdict().outcome()).isEqualTo(Outcome.Running);
        assertThat(e.nextAt()).contains(T0.plusSeconds(10));
        assertThat(AnalysisEngine.due(pre0, REV, e.status(), T0.plusSeconds(9))).isEmpty();
        assertThat(AnalysisEngine.due(pre0, REV, e.status(), T0.plusSeconds(10)))
                .containsExactly("error-rate", "latency");
    }

    @Test
    void eachMetricIsMeasuredAtMostOncePerInterval() {
        Evaluation e = AnalysisEngine.evaluate(POST_30S, REV, null, both(OK, null), T0);
        e = AnalysisEngine.evaluate(POST_30S, REV, e.status(), both(null, OK), T0.plusSeconds(4));
        assertThat(AnalysisEngine.due(POST_30S, REV, e.status(), T0.plusSeconds(9)))
                .isEmpty();
        assertThat(AnalysisEngine.due(POST_30S, REV, e.status(), T0.plusSeconds(10)))
                .containsExactly("error-rate");
        assertThat(AnalysisEngine.due(POST_30S, REV, e.status(), T0.plusSeconds(14)))
                .containsExactly("error-rate", "latency");
        assertThat(e.nextAt()).contains(T0.plusSeconds(10));
    }

    @Test
    void anOperatorRestartedMidStageGoesOnFromTheCountsPersistedInStatus() {
        StageSettings tolerant = settings(ReleaseStage.PostPromotion, 60, 1, 2, NoDataPolicy.Inconclusive);
        Evaluation before = AnalysisEngine.evaluate(tolerant, REV, null, both(BAD, DOWN), T0);
        before = AnalysisEngine.evaluate(tolerant, REV, before.status(), both(OK, DOWN), T0.plusSeconds(10));
        // What the API server holds, read back by a new operator process.
        MicroserviceDeploymentStatus written = new MicroserviceDeploymentStatus();
        written.setAnalysis(before.status());
        AnalysisStatus persisted = Serialization.unmarshal(
                        Serialization.asJson(written), MicroserviceDeploymentStatus.class)
                .getAnalysis();
        assertThat(persisted).isEqualTo(before.status());

        assertThat(AnalysisEngine.due(tolerant, REV, persisted, T0.plusSeconds(15)))
                .isEmpty();
        Evaluation after = AnalysisEngine.evaluate(tolerant, REV, persisted, both(BAD, DOWN), T0.plusSeconds(20));
        assertThat(after.status().getStartedAt()).isEqualTo(persisted.getStartedAt());
        assertThat(metric(after, "error-rate").getFailures()).isEqualTo(2);
        assertThat(metric(after, "latency").getConsecutiveErrors()).isEqualTo(3);
        assertThat(after.verdict().outcome()).isEqualTo(Outcome.Failed);
    }

    @Test
    void aNewRevisionOrStageStartsFromZero() {
        Evaluation pre = AnalysisEngine.evaluate(POST_30S, REV, null, both(DOWN, OK), T0);
        Evaluation otherRevision =
                AnalysisEngine.evaluate(POST_30S, "def456", pre.status(), both(OK, OK), T0.plusSeconds(5));
        assertThat(otherRevision.status().getStartedAt())
                .isEqualTo(T0.plusSeconds(5).toString());
        assertThat(metric(otherRevision, "error-rate").getMeasurements()).isEqualTo(1);
        assertThat(metric(otherRevision, "error-rate").getConsecutiveErrors()).isZero();

        StageSettings pre30 = settings(ReleaseStage.PrePromotion, 30, 0, 2, NoDataPolicy.Inconclusive);
        Evaluation otherStage = AnalysisEngine.evaluate(pre30, REV, pre.status(), both(OK, OK), T0.plusSeconds(5));
        assertThat(otherStage.status().getStage()).isEqualTo("PrePromotion");
        assertThat(metric(otherStage, "error-rate").getMeasurements()).isEqualTo(1);
    }

    @Test
    void aFailedStageAskedAgainWasRetriedAndStartsOverWithFreshCounts() {
        Evaluation failed = AnalysisEngine.evaluate(POST_30S, REV, null, both(BAD, OK), T0);
        assertThat(failed.verdict().outcome()).isEqualTo(Outcome.Failed);
        assertThat(AnalysisEngine.due(POST_30S, REV, failed.status(), T0.plusSeconds(1)))
                .containsExactly("error-rate", "latency");
        Evaluation retried = AnalysisEngine.evaluate(POST_30S, REV, failed.status(), both(OK, OK), T0.plusSeconds(60));
        assertThat(retried.verdict().outcome()).isEqualTo(Outcome.Running);
        assertThat(metric(retried, "error-rate").getFailures()).isZero();
        assertThat(retried.status().getStartedAt()).isEqualTo(T0.plusSeconds(60).toString());
    }

    @Test
    void aRunningStageWhoseRevisionWasAbortedOrReplacedIsStoppedAndAskedAgainStartsOver() {
        // One failed measurement, within a failure limit of 1: the stage is running, with counts.
        Evaluation running = AnalysisEngine.evaluate(
                settings(ReleaseStage.PostPromotion, 30, 1, 2, NoDataPolicy.Inconclusive),
                REV,
                null,
                both(BAD, OK),
                T0);
        assertThat(running.status().getVerdict()).isEqualTo(AnalysisEngine.RUNNING);

        AnalysisStatus aborted = AnalysisEngine.settle(running.status(), REV, REV);
        assertThat(aborted.getVerdict()).isEqualTo(AnalysisEngine.STOPPED);
        assertThat(aborted.getMessage()).isEqualTo("stopped before a verdict: the release of abc123 was aborted");
        assertThat(aborted.getMetrics()).isEqualTo(running.status().getMetrics());
        assertThat(running.status().getVerdict())
                .as("the input is left as it is")
                .isEqualTo(AnalysisEngine.RUNNING);

        AnalysisStatus replaced = AnalysisEngine.settle(running.status(), "def456", null);
        assertThat(replaced.getVerdict()).isEqualTo(AnalysisEngine.STOPPED);
        assertThat(replaced.getMessage()).isEqualTo("stopped before a verdict: revision def456 replaced abc123");

        // Still the revision being released, and not aborted: it goes on.
        assertThat(AnalysisEngine.settle(running.status(), REV, "def456")).isSameAs(running.status());
        // Verdicts already reached stay as they are.
        Evaluation failed = AnalysisEngine.evaluate(POST_30S, REV, null, both(BAD, OK), T0);
        assertThat(AnalysisEngine.settle(failed.status(), REV, REV)).isSameAs(failed.status());
        assertThat(AnalysisEngine.settle(null, REV, REV)).isNull();

        // A retry of the stopped stage starts over, from zero.
        Evaluation retried = AnalysisEngine.evaluate(POST_30S, REV, aborted, both(OK, OK), T0.plusSeconds(10));
        assertThat(retried.status().getStartedAt()).isEqualTo(T0.plusSeconds(10).toString());
        assertThat(metric(retried, "error-rate").getFailures()).isZero();
        assertThat(metric(retried, "error-rate").getMeasurements()).isEqualTo(1);
    }

    @Test
    void durationsOfTheSpecParse() {
        assertThat(StageDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(StageDurations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(StageDurations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(StageDurations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(StageDurations.parse(null)).isEqualTo(Duration.ZERO);
    }

    @Test
    void placeholdersAreFilledWithTheRevisionUnderAnalysis() {
        AnalysisTarget target = new AnalysisTarget("shop-ns", "shop", "abc123");
        assertThat(target.render("rate(x{namespace=\"{{namespace}}\",app=\"{{name}}\",revision=\"{{revision}}\"}[1m])"))
                .isEqualTo("rate(x{namespace=\"shop-ns\",app=\"shop\",revision=\"abc123\"}[1m])");
    }
}
