package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * The checks of a release stage, as the applier asks for them: the analysis engine answers (see
 * the reconciler's adapter), tests fake it. Keeps the release free of metric providers.
 */
public interface StageChecks {
    /**
     * Measures what is due of {@code stage}'s checks of {@code revision} and judges the stage.
     *
     * @return empty when the spec has no checks for that stage (it passes at once)
     */
    Optional<Evaluation> evaluate(ReleaseStage stage, String revision, AnalysisStatus previous);

    /** {@code analysis}, marked stopped when the release it judged was replaced or aborted. */
    AnalysisStatus settle(AnalysisStatus analysis, String releasing, String abortedRevision);

    /**
     * @param status the stage's analysis as status shows it
     * @param nextAt when the next measurement is due, if one is
     * @param failedMetric the metric whose failure failed the stage, if it did
     */
    record Evaluation(
            AnalysisStatus status, StageVerdict verdict, Optional<Instant> nextAt, Optional<String> failedMetric) {}

    /** No stage has checks: every stage passes. */
    StageChecks NONE = new StageChecks() {
        @Override
        public Optional<Evaluation> evaluate(ReleaseStage stage, String revision, AnalysisStatus previous) {
            return Optional.empty();
        }

        @Override
        public AnalysisStatus settle(AnalysisStatus analysis, String releasing, String abortedRevision) {
            return analysis;
        }
    };
}
