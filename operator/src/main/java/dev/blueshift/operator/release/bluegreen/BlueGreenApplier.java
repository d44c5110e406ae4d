package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.kube.RevisionReplicaSetBuilder;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.release.DecisionRecorder;
import dev.blueshift.operator.release.ObjectWriter;
import dev.blueshift.operator.release.ObservedState;
import dev.blueshift.operator.release.PodCounts;
import dev.blueshift.operator.release.StrategyOutcome;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservations.ObservedRelease;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.ReplicaSetTarget;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies the BlueGreen strategy: asks {@link BlueGreenRelease} for the plan (with the stages'
 * checks, {@link JudgedDecision}), and applies it in an order that keeps the active Service on
 * ready Pods: scale-ups first, then the Services, then scale-downs and pruning. A plan that
 * decides an abort or a rollback, or acts on a command, has its status recorded before all of that.
 */
public final class BlueGreenApplier {
    private static final Duration MIN_REQUEUE = Duration.ofMillis(50);

    private BlueGreenApplier() {}

    public static StrategyOutcome reconcile(
            ObservedState observed, ObjectWriter writer, Instant now, StageChecks checks, DecisionRecorder recorder) {
        MicroserviceDeployment msd = observed.msd();
        MicroserviceDeploymentStatus status =
                Optional.ofNullable(msd.getStatus()).orElseGet(MicroserviceDeploymentStatus::new);
        ObservedRelease release = BlueGreenObservations.of(observed, now);
        String revision = release.revision().name();
        JudgedDecision judged = JudgedDecision.decide(release.observation(), status.getAnalysis(), checks);
        BlueGreenPlan plan = judged.plan();
        StrategyOutcome outcome = new StrategyOutcome(
                plan.reason().name(),
                BlueGreenStatus.of(
                        msd,
                        release,
                        observed.deployment(),
                        plan,
                        checks.settle(judged.analysis(), revision, plan.abortedRevision()),
                        judged.post().message(),
                        now),
                plan.announcements(),
                plan.consumed(),
                earliest(plan.requeueAfter(), judged.wake(), now),
                plan.rolledBack() ? judged.failedMetric() : Optional.empty());

        // 0. Record first: an abort, a rollback or a command is in status before anything acts on it.
        if (recordsDecision(plan, status)) {
            recorder.record(outcome);
        }
        Map<String, ReplicaSet> byRevision = release.replicaSets();
        // 1. ReplicaSets that grow (or are new) before any Service moves to them.
        plan.replicaSets().forEach((rev, target) -> {
            ReplicaSet existing = byRevision.get(rev);
            if (existing == null || target.replicas() >= PodCounts.desired(existing)) {
                applyReplicaSet(msd, rev, rev.equals(revision) ? release.digest() : null, target, existing, writer);
            }
        });
        // 2. The Services.
        Map<String, String> activeSelector = BlueGreenStatus.activeSelector(msd, plan);
        Map<String, String> previewSelector = BlueGreenStatus.previewSelector(msd, plan);
        if (!ObservedState.selects(observed.activeService(), activeSelector)) {
            writer.apply(TrafficServiceBuilder.active(msd, activeSelector), observed.activeService());
        }
        if (!ObservedState.selects(observed.previewService(), previewSelector)) {
            writer.apply(TrafficServiceBuilder.preview(msd, previewSelector), observed.previewService());
        }
        // 3. ReplicaSets that shrink, pruning, and the Rolling Deployment once the switch is done.
        plan.replicaSets().forEach((rev, target) -> {
            ReplicaSet existing = byRevision.get(rev);
            if (existing != null && target.replicas() < PodCounts.desired(existing)) {
                applyReplicaSet(msd, rev, null, target, existing, writer);
            }
        });
        plan.prune().forEach(rev -> writer.delete(byRevision.get(rev)));
        if (plan.deleteRollingDeployment()) {
            observed.deployment().ifPresent(writer::delete);
        } else if (plan.rollingDeploymentDeleteAt() != null) {
            observed.deployment()
                    .filter(d -> RevisionReplicaSetBuilder.scaleDownAt(d).isEmpty())
                    .ifPresent(d -> writer.annotate(
                            d,
                            RevisionReplicaSetBuilder.SCALE_DOWN_AT,
                            plan.rollingDeploymentDeleteAt().toString()));
        }
        return outcome;
    }

    /**
     * A plan whose status must be written before it is applied: it aborts or rolls back a revision
     * (or clears that mark, on retry), or acts on a command annotation. Without the status first, a
     * crash after the Service switch or the annotation's removal would forget why, and release the
     * aborted revision again. A promotion that starts by itself (auto-promotion) needs no record
     * first: until status says it started, the same gate decides again from what status already
     * holds (previewReadyAt, the pre-promotion verdict), and a promote command is recorded as a command.
     */
    static boolean recordsDecision(BlueGreenPlan plan, MicroserviceDeploymentStatus previous) {
        return !plan.consumed().isEmpty() || !Objects.equals(plan.abortedRevision(), previous.getAbortedRevision());
    }

    private static Optional<Duration> earliest(Optional<Duration> planned, Optional<Instant> wake, Instant now) {
        Optional<Duration> measure =
                wake.map(at -> Duration.between(now, at)).map(d -> d.isNegative() || d.isZero() ? MIN_REQUEUE : d);
        if (planned.isEmpty()) {
            return measure;
        }
        return measure.isEmpty() || planned.get().compareTo(measure.get()) <= 0 ? planned : measure;
    }

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
                && PodCounts.desired(existing) == target.replicas()
                && kept.entrySet()
                        .containsAll(desired.getMetadata().getAnnotations().entrySet())
                && (target.scaleDownAt() != null || !kept.containsKey(RevisionReplicaSetBuilder.SCALE_DOWN_AT))) {
            return;
        }
        writer.apply(desired, Optional.ofNullable(existing));
    }
}
