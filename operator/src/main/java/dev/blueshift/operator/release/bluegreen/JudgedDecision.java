package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The plan, decided with the verdicts of exactly the stages the decision reads: a stage is
 * analysed (and its providers queried) only when the release has reached it, then the decision
 * runs again with its verdict. At most both stages, so at most three decisions.
 *
 * @param post the post-promotion verdict the plan was decided with
 * @param analysis the analysis status after the stages judged
 * @param wake when the next measurement is due, if one is
 * @param failedMetric the metric whose failure failed the last stage judged, if it did
 */
record JudgedDecision(
        BlueGreenPlan plan,
        StageVerdict post,
        AnalysisStatus analysis,
        Optional<Instant> wake,
        Optional<String> failedMetric) {

    /** A placeholder verdict for a stage not yet judged in this reconcile; never acted on. */
    private static final StageVerdict UNJUDGED = StageVerdict.running("not judged yet");

    static JudgedDecision decide(BlueGreenObservation observation, AnalysisStatus analysis, StageChecks checks) {
        Map<ReleaseStage, StageVerdict> verdicts = new EnumMap<>(ReleaseStage.class);
        Optional<Instant> wake = Optional.empty();
        Optional<String> failedMetric = Optional.empty();
        while (true) {
            BlueGreenPlan plan = BlueGreenRelease.decide(observation.withVerdicts(
                    verdicts.getOrDefault(ReleaseStage.PrePromotion, UNJUDGED),
                    verdicts.getOrDefault(ReleaseStage.PostPromotion, UNJUDGED)));
            Optional<ReleaseStage> unjudged = plan.consulted().stream()
                    .filter(s -> !verdicts.containsKey(s))
                    .findFirst();
            if (unjudged.isEmpty()) {
                return new JudgedDecision(
                        plan,
                        verdicts.getOrDefault(ReleaseStage.PostPromotion, StageVerdict.PASSED),
                        analysis,
                        wake,
                        failedMetric);
            }
            ReleaseStage stage = unjudged.get();
            Optional<StageChecks.Evaluation> evaluation =
                    checks.evaluate(stage, observation.desiredRevision(), analysis);
            if (evaluation.isEmpty()) {
                verdicts.put(stage, StageVerdict.PASSED);
                continue;
            }
            verdicts.put(stage, evaluation.get().verdict());
            analysis = evaluation.get().status();
            wake = evaluation.get().nextAt();
            failedMetric = evaluation.get().failedMetric();
        }
    }
}
