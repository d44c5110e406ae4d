package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.NoDataPolicy;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.MetricStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One metric's counts in a stage, as status keeps them: measurements, failures, provider errors in
 * a row, the last value and verdict; and whether they fail the stage. Pure: {@link AnalysisEngine}
 * copies a metric's status, records a measurement in the copy, and asks.
 */
final class MetricTally {
    private MetricTally() {}

    static void record(MetricStatus m, Measurement measured, NoDataPolicy noData, Instant now) {
        m.setMeasurements(m.getMeasurements() + 1);
        m.setMeasuredAt(AnalysisEngine.timestamp(now));
        m.setVerdict(measured.outcome().name());
        m.setThreshold(measured.threshold());
        m.setMessage(measured.message());
        switch (measured.outcome()) {
            case Passed -> {
                m.setValue(measured.value());
                m.setConsecutiveErrors(0);
            }
            case Failed -> {
                m.setValue(measured.value());
                m.setFailures(m.getFailures() + 1);
                m.setConsecutiveErrors(0);
            }
            case NoData -> {
                m.setValue("no data");
                m.setConsecutiveErrors(0);
                if (noData == NoDataPolicy.Fail) {
                    m.setFailures(m.getFailures() + 1);
                }
            }
            case Error -> {
                m.setValue("error");
                m.setConsecutiveErrors(m.getConsecutiveErrors() + 1);
            }
        }
    }

    /** Why this metric fails the stage, or null. */
    static String failure(StageSettings settings, MetricStatus m) {
        if (m.getFailures() > settings.failureLimit()) {
            return m.getName() + " = " + m.getValue() + ", threshold " + m.getThreshold() + " (" + m.getFailures()
                    + " failed measurement(s), failureLimit " + settings.failureLimit() + ")";
        }
        if (m.getConsecutiveErrors() > settings.consecutiveErrorLimit()) {
            return m.getName() + ": " + m.getConsecutiveErrors() + " provider errors in a row (consecutiveErrorLimit "
                    + settings.consecutiveErrorLimit() + "), last: " + m.getMessage();
        }
        return null;
    }

    static String summary(List<MetricStatus> metrics) {
        return metrics.stream()
                .map(m -> m.getName() + "=" + (m.getValue() == null ? "not measured" : m.getValue())
                        + (m.getThreshold() == null ? "" : " (" + m.getThreshold() + ")"))
                .collect(Collectors.joining(", "));
    }

    static MetricStatus copy(MetricStatus from, String name) {
        MetricStatus m = new MetricStatus();
        m.setName(name);
        m.setMeasurements(0);
        m.setFailures(0);
        m.setConsecutiveErrors(0);
        if (from != null) {
            m.setValue(from.getValue());
            m.setThreshold(from.getThreshold());
            m.setVerdict(from.getVerdict());
            m.setMeasurements(Objects.requireNonNullElse(from.getMeasurements(), 0));
            m.setFailures(Objects.requireNonNullElse(from.getFailures(), 0));
            m.setConsecutiveErrors(Objects.requireNonNullElse(from.getConsecutiveErrors(), 0));
            m.setMessage(from.getMessage());
            m.setMeasuredAt(from.getMeasuredAt());
        }
        return m;
    }

    static Map<String, MetricStatus> byName(AnalysisStatus status) {
        return status.getMetrics() == null
                ? Map.of()
                : status.getMetrics().stream().collect(Collectors.toMap(MetricStatus::getName, m -> m, (a, b) -> a));
    }
}
