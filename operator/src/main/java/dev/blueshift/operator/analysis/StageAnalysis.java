package dev.blueshift.operator.analysis;

import dev.blueshift.operator.analysis.AnalysisEngine.Evaluation;
import dev.blueshift.operator.api.v1alpha1.spec.Analysis;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One reconcile's analysis of one stage: takes the measurements that are due (at most one per
 * metric and interval), then lets {@link AnalysisEngine} judge the stage.
 */
public final class StageAnalysis {
    private StageAnalysis() {}

    public static Evaluation run(
            Analysis spec,
            StageSettings settings,
            AnalysisTarget target,
            AnalysisStatus previous,
            MetricProviders providers,
            Instant now) {
        Map<String, AnalysisMetric> metrics = spec.getMetrics().stream()
                .collect(Collectors.toMap(
                        AnalysisMetric::getName, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<String> due = AnalysisEngine.due(settings, target.revision(), previous, now);
        Map<String, Measurement> fresh = new LinkedHashMap<>();
        for (String name : due) {
            fresh.put(name, providers.measure(metrics.get(name), target));
        }
        return AnalysisEngine.evaluate(settings, target.revision(), previous, fresh, now);
    }
}
