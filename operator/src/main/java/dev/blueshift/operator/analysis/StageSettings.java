package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.Analysis;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisStage;
import dev.blueshift.operator.api.v1alpha1.spec.NoDataPolicy;
import dev.blueshift.operator.release.bluegreen.ReleaseStage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The analysis settings of one stage, with the spec's defaults applied. */
public record StageSettings(
        ReleaseStage stage,
        Duration interval,
        Duration duration,
        int failureLimit,
        int consecutiveErrorLimit,
        NoDataPolicy noData,
        List<String> metrics) {

    /** The settings of {@code stage}, or empty when the spec configures no checks for it. */
    public static Optional<StageSettings> of(Analysis analysis, ReleaseStage stage) {
        if (analysis == null
                || analysis.getMetrics() == null
                || analysis.getMetrics().isEmpty()) {
            return Optional.empty();
        }
        AnalysisStage configured =
                stage == ReleaseStage.PrePromotion ? analysis.getPrePromotion() : analysis.getPostPromotion();
        if (configured == null) {
            return Optional.empty();
        }
        return Optional.of(new StageSettings(
                stage,
                StageDurations.parse(Objects.requireNonNullElse(analysis.getInterval(), "10s")),
                StageDurations.parse(configured.getDuration()),
                Objects.requireNonNullElse(analysis.getFailureLimit(), 0),
                Objects.requireNonNullElse(analysis.getConsecutiveErrorLimit(), 4),
                Objects.requireNonNullElse(analysis.getNoData(), NoDataPolicy.Inconclusive),
                analysis.getMetrics().stream().map(AnalysisMetric::getName).toList()));
    }
}
