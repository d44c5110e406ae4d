package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.analysis.AnalysisEngine;
import dev.blueshift.operator.analysis.AnalysisEngine.Evaluation;
import dev.blueshift.operator.analysis.AnalysisTarget;
import dev.blueshift.operator.analysis.MetricProviders;
import dev.blueshift.operator.analysis.StageAnalysis;
import dev.blueshift.operator.analysis.StageSettings;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.ProgressStatus;
import dev.blueshift.operator.api.v1alpha1.status.RollbackStatus;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.kube.RevisionReplicaSetBuilder;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.PreviousStatus;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.RollingDeployment;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.ReplicaSetTarget;
import dev.blueshift.operator.release.bluegreen.BlueGreenRelease;
import dev.blueshift.operator.release.bluegreen.Commands;
import dev.blueshift.operator.release.bluegreen.ObservedReplicaSet;
import dev.blueshift.operator.release.bluegreen.PodProgress;
import dev.blueshift.operator.release.bluegreen.ReleaseStage;
import dev.blueshift.operator.release.bluegreen.StageVerdict;
import dev.blueshift.operator.status.ConditionList;
import dev.blueshift.operator.status.ReleaseView;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Applies the BlueGreen strategy: observes the MSD's ReplicaSets and Services, asks
 * {@link BlueGreenRelease} for the plan, and applies it in an order that keeps the active Service
 * on ready Pods: scale-ups first, then the Services, then scale-downs and pruning. A plan that
 * decides an abort or a rollback, or acts on a command, has its status recorded before all of that.
 */
final class BlueGreenStrategy {
    private BlueGreenStrategy() {}

    static StrategyOutcome reconcile(
            ObservedState observed,
            ObjectWriter writer,
            Instant now,
            MetricProviders providers,
            DecisionRecorder recorder) {
        MicroserviceDeployment msd = observed.msd();
        MicroserviceDeploymentStatus status =
                Optional.ofNullable(msd.getStatus()).orElseGet(MicroserviceDeploymentStatus::new);
        Map<String, ReplicaSet> byRevision = observed.replicaSets().stream()
                .filter(rs -> rs.getMetadata().getLabels().containsKey(WorkloadLabels.REVISION))
                .collect(Collectors.toMap(
                        rs -> rs.getMetadata().getLabels().get(WorkloadLabels.REVISION),
                        rs -> rs,
                        (a, b) -> a,
                        LinkedHashMap::new));

        String configDigest =
                ConfigReferences.digest(msd.getSpec().getTemplate(), observed.configMaps(), observed.secrets());
        String digest = PodTemplateHash.digest(msd, configDigest);
        Map<String, String> digests = byRevision.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> Objects.requireNonNullElse(
                                e.getValue()
                                        .getMetadata()
                                        .getAnnotations()
                                        .get(RevisionReplicaSetBuilder.TEMPLATE_DIGEST),
                                "")));
        PodTemplateHash.Revision revision =
                PodTemplateHash.resolve(digest, Objects.requireNonNullElse(status.getCollisionCount(), 0), digests);

        BlueGreenObservation observation = new BlueGreenObservation(
                msd.getSpec().getReplicas(),
                msd.getSpec().getStrategy().blueGreenOrDefaults(),
                msd.getSpec().getRevisionHistoryLimit(),
                revision.name(),
                byRevision.values().stream()
                        .map(BlueGreenStrategy::observe)
                        .collect(Collectors.toMap(
                                ObservedReplicaSet::revision, o -> o, (a, b) -> a, LinkedHashMap::new)),
                new PreviousStatus(
                        status.getCurrentRevision(),
                        status.getStableRevision(),
                        selectedRevision(observed.activeService()),
                        Optional.ofNullable(status.getPreviewReadyAt())
                                .map(Instant::parse)
                                .orElse(null),
                        status.getAbortedRevision(),
                        status.getAbortReason(),
                        podProgress(status.getLastProgress())),
                observed.deployment()
                        .map(d -> new RollingDeployment(true, readyOf(d)))
                        .orElse(RollingDeployment.NONE),
                Commands.from(msd.getMetadata().getAnnotations()),
                StageVerdict.PASSED,
                StageVerdict.PASSED,
                msd.getSpec().progressDeadlineSecondsOrDefault(),
                now);
        Judged judged = judge(msd, revision.name(), observation, status.getAnalysis(), providers, now);
        BlueGreenPlan plan = judged.plan();

        Map<String, String> activeSelector = plan.activeRevision() == null
                ? WorkloadLabels.podSelector(msd)
                : WorkloadLabels.revisionSelector(msd, plan.activeRevision());
        Map<String, String> previewSelector = WorkloadLabels.revisionSelector(msd, plan.previewRevision());
        int replicas = byRevision.values().stream()
                .mapToInt(BlueGreenStrategy::statusReplicasOf)
                .sum();
        // Ready means serving: the ready Pods of the revision the active Service selects (while a
        // switch from Rolling is in progress, every ready Pod of the MSD, the Deployment's included).
        int ready = plan.activeRevision() != null
                ? Optional.ofNullable(byRevision.get(plan.activeRevision()))
                        .map(BlueGreenStrategy::readyOf)
                        .orElse(0)
                : byRevision.values().stream()
                                .mapToInt(BlueGreenStrategy::readyOf)
                                .sum()
                        + observed.deployment().map(BlueGreenStrategy::readyOf).orElse(0);
        ReleaseView view = new ReleaseView(
                plan.phase(),
                plan.reason(),
                plan.message(),
                replicas,
                ready,
                revision.name(),
                plan.stableRevision(),
                plan.activeRevision(),
                plan.previewRevision(),
                WorkloadLabels.format(activeSelector),
                WorkloadLabels.format(previewSelector),
                plan.previewReadyAt(),
                progressStatus(plan.lastProgress()),
                plan.abortedRevision(),
                plan.abortReason(),
                revision.collisionCount() == 0 ? null : revision.collisionCount(),
                AnalysisEngine.settle(judged.analysis(), revision.name(), plan.abortedRevision()),
                plan.rolledBack()
                        ? new RollbackStatus(
                                now.toString(),
                                plan.abortedRevision(),
                                plan.stableRevision(),
                                judged.post().message())
                        : null);
        StrategyOutcome outcome = new StrategyOutcome(
                view,
                plan.announcements(),
                plan.consumed(),
                earliest(plan.requeueAfter(), judged.wake(), now),
                plan.rolledBack() ? judged.failedMetric() : Optional.empty());

        // 0. Record first: an abort, a rollback or a command is in status before anything acts on it.
        if (recordsDecision(plan, status)) {
            recorder.record(outcome);
        }
        // 1. ReplicaSets that grow (or are new) before any Service moves to them.
        plan.replicaSets().forEach((rev, target) -> {
            ReplicaSet existing = byRevision.get(rev);
            if (existing == null || target.replicas() >= specOf(existing)) {
                applyReplicaSet(msd, rev, rev.equals(revision.name()) ? digest : null, target, existing, writer);
            }
        });
        // 2. The Services.
        if (!RollingStrategy.sameSelector(observed.activeService(), activeSelector)) {
            writer.apply(TrafficServiceBuilder.active(msd, activeSelector), observed.activeService());
        }
        if (!RollingStrategy.sameSelector(observed.previewService(), previewSelector)) {
            writer.apply(TrafficServiceBuilder.preview(msd, previewSelector), observed.previewService());
        }
        // 3. ReplicaSets that shrink, pruning, and the Rolling Deployment once the switch is done.
        plan.replicaSets().forEach((rev, target) -> {
            ReplicaSet existing = byRevision.get(rev);
            if (existing != null && target.replicas() < specOf(existing)) {
                applyReplicaSet(msd, rev, null, target, existing, writer);
            }
        });
        plan.prune().forEach(rev -> writer.delete(byRevision.get(rev)));
        if (plan.deleteRollingDeployment()) {
            observed.deployment().ifPresent(writer::delete);
        }
        return outcome;
    }

    /**
     * A plan whose status must be written before it is applied: it aborts or rolls back a revision
     * (or clears that mark, on retry), or acts on a command annotation. Without the status first, a
     * crash after the Service switch or the annotation's removal would forget why, and release the
     * aborted revision again.
     */
    static boolean recordsDecision(BlueGreenPlan plan, MicroserviceDeploymentStatus previous) {
        return !plan.consumed().isEmpty() || !Objects.equals(plan.abortedRevision(), previous.getAbortedRevision());
    }

    /** The plan, its stages' verdicts, and the analysis status and wake-up time behind them. */
    private record Judged(
            BlueGreenPlan plan,
            StageVerdict post,
            AnalysisStatus analysis,
            Optional<Instant> wake,
            Optional<String> failedMetric) {}

    /** A placeholder verdict for a stage not yet judged in this reconcile; never acted on. */
    private static final StageVerdict UNJUDGED = StageVerdict.running("not judged yet");

    /**
     * Decides with the verdicts of exactly the stages the decision reads: a stage is analysed (and its
     * providers queried) only when the release has reached it, then the decision runs again with its
     * verdict. At most both stages, so at most three decisions.
     */
    private static Judged judge(
            MicroserviceDeployment msd,
            String revision,
            BlueGreenObservation observation,
            AnalysisStatus analysis,
            MetricProviders providers,
            Instant now) {
        Map<ReleaseStage, StageVerdict> verdicts = new EnumMap<>(ReleaseStage.class);
        Optional<Instant> wake = Optional.empty();
        Optional<String> failedMetric = Optional.empty();
        AnalysisTarget target = new AnalysisTarget(
                msd.getMetadata().getNamespace(), msd.getMetadata().getName(), revision);
        while (true) {
            BlueGreenPlan plan = BlueGreenRelease.decide(observation.withVerdicts(
                    verdicts.getOrDefault(ReleaseStage.PrePromotion, UNJUDGED),
                    verdicts.getOrDefault(ReleaseStage.PostPromotion, UNJUDGED)));
            Optional<ReleaseStage> unjudged = plan.consulted().stream()
                    .filter(s -> !verdicts.containsKey(s))
                    .findFirst();
            if (unjudged.isEmpty()) {
                return new Judged(
                        plan,
                        verdicts.getOrDefault(ReleaseStage.PostPromotion, StageVerdict.PASSED),
                        analysis,
                        wake,
                        failedMetric);
            }
            ReleaseStage stage = unjudged.get();
            Optional<StageSettings> settings = StageSettings.of(msd.getSpec().getAnalysis(), stage);
            if (settings.isEmpty()) {
                verdicts.put(stage, StageVerdict.PASSED);
                continue;
            }
            Evaluation evaluation =
                    StageAnalysis.run(msd.getSpec().getAnalysis(), settings.get(), target, analysis, providers, now);
            verdicts.put(stage, evaluation.verdict());
            analysis = evaluation.status();
            wake = evaluation.nextAt();
            failedMetric = evaluation.failedMetric();
        }
    }

    private static PodProgress podProgress(ProgressStatus status) {
        if (status == null || status.getRevision() == null || status.getSince() == null) {
            return null;
        }
        return new PodProgress(
                status.getRevision(),
                Optional.ofNullable(status.getReadyReplicas()).orElse(0),
                Instant.parse(status.getSince()));
    }

    private static ProgressStatus progressStatus(PodProgress progress) {
        return progress == null
                ? null
                : new ProgressStatus(
                        progress.revision(), progress.readyReplicas(), ConditionList.timestamp(progress.since()));
    }

    private static Optional<Duration> earliest(Optional<Duration> planned, Optional<Instant> wake, Instant now) {
        Optional<Duration> measure =
                wake.map(at -> Duration.between(now, at)).map(d -> d.isNegative() || d.isZero() ? MIN_REQUEUE : d);
        if (planned.isEmpty()) {
            return measure;
        }
        return measure.isEmpty() || planned.get().compareTo(measure.get()) <= 0 ? planned : measure;
    }

    private static final Duration MIN_REQUEUE = Duration.ofMillis(50);

    /** Applies a ReplicaSet when it is new or differs from the target; a no-op costs no request. */
    private static void applyReplicaSet(
            MicroserviceDeployment msd,
            String rev,
            String newDigest,
            ReplicaSetTarget target,
            ReplicaSet existing,
            ObjectWriter writer) {
        Map<String, String> kept = existing != null ? existing.getMetadata().getAnnotations() : Map.of();
        String digest = existing != null ? kept.get(RevisionReplicaSetBuilder.TEMPLATE_DIGEST) : newDigest;
        String source = existing != null
                ? kept.get(RevisionReplicaSetBuilder.SOURCE_TEMPLATE)
                : PodTemplateHash.canonicalJson(msd.getSpec().getTemplate());
        PodTemplateSpec template =
                existing != null ? existing.getSpec().getTemplate() : RevisionReplicaSetBuilder.template(msd, rev);
        ReplicaSet desired = RevisionReplicaSetBuilder.build(
                msd,
                rev,
                digest,
                source,
                template,
                target.replicas(),
                target.revisionNumber(),
                target.scaleDownAt(),
                target.released());
        if (existing != null
                && specOf(existing) == target.replicas()
                && existing.getMetadata()
                        .getAnnotations()
                        .entrySet()
                        .containsAll(desired.getMetadata().getAnnotations().entrySet())
                && (target.scaleDownAt() != null
                        || !existing.getMetadata()
                                .getAnnotations()
                                .containsKey(RevisionReplicaSetBuilder.SCALE_DOWN_AT))) {
            return;
        }
        writer.apply(desired, Optional.ofNullable(existing));
    }

    private static ObservedReplicaSet observe(ReplicaSet rs) {
        Map<String, String> annotations = rs.getMetadata().getAnnotations();
        return new ObservedReplicaSet(
                rs.getMetadata().getLabels().get(WorkloadLabels.REVISION),
                specOf(rs),
                readyOf(rs),
                Long.parseLong(annotations.getOrDefault(RevisionReplicaSetBuilder.REVISION_NUMBER, "0")),
                RevisionReplicaSetBuilder.scaleDownAt(rs).orElse(null),
                "true".equals(annotations.get(RevisionReplicaSetBuilder.RELEASED)));
    }

    /** The revision the active Service selects now: observed, not remembered, so that a lost status write cannot mislead. */
    private static String selectedRevision(Optional<Service> service) {
        return service.map(s -> s.getSpec().getSelector())
                .map(sel -> sel.get(WorkloadLabels.REVISION))
                .orElse(null);
    }

    private static int specOf(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    private static int readyOf(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                ? 0
                : rs.getStatus().getReadyReplicas();
    }

    private static int statusReplicasOf(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null
                ? 0
                : rs.getStatus().getReplicas();
    }

    private static int readyOf(io.fabric8.kubernetes.api.model.apps.Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                ? 0
                : d.getStatus().getReadyReplicas();
    }
}
