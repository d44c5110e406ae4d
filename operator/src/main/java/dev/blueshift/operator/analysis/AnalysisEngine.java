package dev.blueshift.operator.analysis;

import dev.blueshift.operator.analysis.Measurement.Outcome;
import dev.blueshift.operator.api.v1alpha1.spec.NoDataPolicy;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.MetricStatus;
import dev.blueshift.operator.release.bluegreen.StageVerdict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The analysis of one stage, as a pure function: from the settings, the stage's status as last
 * written (its start, each metric's counts), the measurements just taken and the time, to the next
 * status and the stage's verdict. All it remembers lives in status, so a restarted operator goes on
 * from the same counts.
 *
 * <p>The rules: a metric fails the stage once its failed measurements exceed failureLimit, or its
 * provider errors in a row exceed consecutiveErrorLimit. No data is never a pass: with noData Fail
 * it is a failed measurement; with Inconclusive it is neither, and a stage that ends while a
 * metric's last measurement had no data fails. The stage passes once its duration is over and the
 * last measurement of every metric passed; until then it runs.
 */
public final class AnalysisEngine {
    public static final String RUNNING = "Running";
    public static final String PASSED = "Passed";
    public static final String FAILED = "Failed";
    /** A stage that ended without a verdict: its revision was aborted, or a newer one replaced it. */
    public static final String STOPPED = "Stopped";

    private AnalysisEngine() {}

    /**
     * @param status the stage's status to write
     * @param verdict what the release decision should do
     * @param nextAt when to look again (the next measurement due, or the stage's end); empty once decided
     * @param failedMetric the metric that failed the stage
     */
    public record Evaluation(
            AnalysisStatus status, StageVerdict verdict, Optional<Instant> nextAt, Optional<String> failedMetric) {}

    /**
     * The metrics to measure now: those never measured in this stage, or measured an interval ago or
     * more; and when the stage has just ended, those whose last measurement (taken before the end) did
     * not pass, so that the end is judged on a fresh value rather than on a stale "no data".
     */
    public static List<String> due(StageSettings settings, String revision, AnalysisStatus previous, Instant now) {
        if (!continues(settings, revision, previous)) {
            return settings.metrics();
        }
        if (PASSED.equals(previous.getVerdict())) {
            return List.of();
        }
        Instant end = Instant.parse(previous.getStartedAt()).plus(settings.duration());
        Map<String, MetricStatus> known = MetricTally.byName(previous);
        return settings.metrics().stream()
                .filter(name -> {
                    MetricStatus m = known.get(name);
                    if (m == null || m.getMeasuredAt() == null) {
                        return true;
                    }
                    Instant measuredAt = Instant.parse(m.getMeasuredAt());
                    boolean endNotJudged = !now.isBefore(end)
                            && measuredAt.isBefore(end)
                            && !Outcome.Passed.name().equals(m.getVerdict());
                    return endNotJudged || !now.isBefore(measuredAt.plus(settings.interval()));
                })
                .toList();
    }

    public static Evaluation evaluate(
            StageSettings settings,
            String revision,
            AnalysisStatus previous,
            Map<String, Measurement> fresh,
            Instant now) {
        boolean continues = continues(settings, revision, previous);
        if (continues && PASSED.equals(previous.getVerdict())) {
            return new Evaluation(previous, StageVerdict.PASSED, Optional.empty(), Optional.empty());
        }
        Instant startedAt = continues ? Instant.parse(previous.getStartedAt()) : now;
        Map<String, MetricStatus> known = continues ? MetricTally.byName(previous) : Map.of();
        List<MetricStatus> metrics = new ArrayList<>();
        for (String name : settings.metrics()) {
            MetricStatus m = MetricTally.copy(known.get(name), name);
            Measurement measured = fresh.get(name);
            if (measured != null) {
                MetricTally.record(m, measured, settings.noData(), now);
            }
            metrics.add(m);
        }

        AnalysisStatus next = new AnalysisStatus();
        next.setStage(settings.stage().name());
        next.setRevision(revision);
        next.setStartedAt(timestamp(startedAt));
        next.setMetrics(metrics);
        Instant end = startedAt.plus(settings.duration());

        for (MetricStatus m : metrics) {
            String why = MetricTally.failure(settings, m);
            if (why != null) {
                return decided(next, StageVerdict.failed(why), Optional.of(m.getName()));
            }
        }
        boolean over = !now.isBefore(end);
        if (over && metrics.stream().allMatch(m -> Outcome.Passed.name().equals(m.getVerdict()))) {
            return decided(
                    next,
                    new StageVerdict(
                            StageVerdict.Outcome.Passed, "every metric passed: " + MetricTally.summary(metrics)),
                    Optional.empty());
        }
        if (over && settings.noData() == NoDataPolicy.Inconclusive) {
            Optional<MetricStatus> silent = metrics.stream()
                    .filter(m -> Outcome.NoData.name().equals(m.getVerdict()))
                    .findFirst();
            if (silent.isPresent()) {
                MetricStatus m = silent.get();
                String why = "no data: " + m.getName() + " had no data when the stage ended ("
                        + Objects.requireNonNullElse(m.getMessage(), "empty result")
                        + "; noData: Inconclusive never passes)";
                return decided(next, StageVerdict.failed(why), Optional.of(m.getName()));
            }
        }
        String message = "measuring " + MetricTally.summary(metrics)
                + (over ? "; waiting for a passing measurement of each" : "; ends at " + end);
        next.setVerdict(RUNNING);
        next.setMessage(message);
        Instant nextAt = over ? null : end;
        for (MetricStatus m : metrics) {
            Instant due = m.getMeasuredAt() == null
                    ? now
                    : Instant.parse(m.getMeasuredAt()).plus(settings.interval());
            nextAt = nextAt == null || due.isBefore(nextAt) ? due : nextAt;
        }
        return new Evaluation(next, StageVerdict.running(message), Optional.ofNullable(nextAt), Optional.empty());
    }

    /**
     * The stage in status is this stage of this revision, and neither failed nor stopped (a stage
     * asked again after that was retried, and starts over).
     */
    private static boolean continues(StageSettings settings, String revision, AnalysisStatus previous) {
        return previous != null
                && settings.stage().name().equals(previous.getStage())
                && Objects.equals(revision, previous.getRevision())
                && previous.getStartedAt() != null
                && !FAILED.equals(previous.getVerdict())
                && !STOPPED.equals(previous.getVerdict());
    }

    /**
     * The analysis as the release left it: a stage still Running whose revision was aborted (by a
     * user, or by the other stage) or is no longer the one being released will never get a verdict,
     * so it becomes Stopped, saying why. Anything else is returned as it is.
     */
    public static AnalysisStatus settle(AnalysisStatus analysis, String releasing, String abortedRevision) {
        if (analysis == null || !RUNNING.equals(analysis.getVerdict())) {
            return analysis;
        }
        String why;
        if (analysis.getRevision() != null && analysis.getRevision().equals(abortedRevision)) {
            why = "the release of " + abortedRevision + " was aborted";
        } else if (!Objects.equals(analysis.getRevision(), releasing)) {
            why = "revision " + releasing + " replaced " + analysis.getRevision();
        } else {
            return analysis;
        }
        AnalysisStatus stopped = new AnalysisStatus();
        stopped.setStage(analysis.getStage());
        stopped.setRevision(analysis.getRevision());
        stopped.setStartedAt(analysis.getStartedAt());
        stopped.setMetrics(new ArrayList<>(analysis.getMetrics()));
        stopped.setVerdict(STOPPED);
        stopped.setMessage("stopped before a verdict: " + why);
        return stopped;
    }

    private static Evaluation decided(AnalysisStatus next, StageVerdict verdict, Optional<String> failedMetric) {
        next.setVerdict(verdict.outcome() == StageVerdict.Outcome.Passed ? PASSED : FAILED);
        next.setMessage(verdict.message());
        return new Evaluation(next, verdict, Optional.empty(), failedMetric);
    }

    /** Millisecond precision: intervals below a second must survive the round trip through status. */
    static String timestamp(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
