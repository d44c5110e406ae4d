package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;

/**
 * Reads one metric for a release and judges it. Never throws for a provider failure: that is a
 * {@link Measurement.Outcome#Error} measurement, which is never a pass.
 */
public interface MetricProvider {
    /** Whether {@code metric} is this provider's (its provider field is set). */
    boolean handles(AnalysisMetric metric);

    Measurement measure(AnalysisMetric metric, AnalysisTarget target);
}
