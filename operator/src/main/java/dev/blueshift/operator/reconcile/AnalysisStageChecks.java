package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.analysis.AnalysisEngine;
import dev.blueshift.operator.analysis.AnalysisTarget;
import dev.blueshift.operator.analysis.MetricProviders;
import dev.blueshift.operator.analysis.StageAnalysis;
import dev.blueshift.operator.analysis.StageSettings;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.release.bluegreen.ReleaseStage;
import dev.blueshift.operator.release.bluegreen.StageChecks;
import java.time.Instant;
import java.util.Optional;

/** A release stage's checks, as the MSD's spec.analysis defines them, measured through the metric providers. */
record AnalysisStageChecks(MicroserviceDeployment msd, MetricProviders providers, Instant now) implements StageChecks {
    @Override
    public Optional<StageChecks.Evaluation> evaluate(ReleaseStage stage, String revision, AnalysisStatus previous) {
        Optional<StageSettings> settings = StageSettings.of(msd.getSpec().getAnalysis(), stage);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        AnalysisTarget target = new AnalysisTarget(
                msd.getMetadata().getNamespace(), msd.getMetadata().getName(), revision);
        AnalysisEngine.Evaluation e =
                StageAnalysis.run(msd.getSpec().getAnalysis(), settings.get(), target, previous, providers, now);
        return Optional.of(new StageChecks.Evaluation(e.status(), e.verdict(), e.nextAt(), e.failedMetric()));
    }

    @Override
    public AnalysisStatus settle(AnalysisStatus analysis, String releasing, String abortedRevision) {
        return AnalysisEngine.settle(analysis, releasing, abortedRevision);
    }
}
