package dev.blueshift.operator.release.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.kube.RevisionReplicaSetBuilder;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.DecisionRecorder;
import dev.blueshift.operator.release.EventReason;
import dev.blueshift.operator.release.ObjectWriter;
import dev.blueshift.operator.release.ObservedState;
import dev.blueshift.operator.release.StrategyOutcome;
import dev.blueshift.operator.support.Msds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The order in which a BlueGreen reconcile writes: a decision to abort (or roll back) is in status
 * before any ReplicaSet or Service acts on it, so a crash in between cannot forget it.
 */
class BlueGreenApplierOrderTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    /** Every write, in order: "status ..." from the recorder, "apply Kind/name ..." and "delete Kind/name" from the writer. */
    private final List<String> log = new ArrayList<>();

    private final ObjectWriter writer = new ObjectWriter() {
        @Override
        public <R extends HasMetadata> R apply(R desired, Optional<R> observed) {
            String what = desired instanceof Service s
                    ? " selector=" + s.getSpec().getSelector().get(WorkloadLabels.REVISION)
                    : desired instanceof ReplicaSet rs
                            ? " replicas=" + rs.getSpec().getReplicas()
                            : "";
            log.add("apply " + desired.getKind() + "/" + desired.getMetadata().getName() + what);
            return desired;
        }

        @Override
        public void delete(HasMetadata observed) {
            log.add("delete " + observed.getKind() + "/"
                    + observed.getMetadata().getName());
        }

        @Override
        public void annotate(HasMetadata observed, String key, String value) {
            log.add("annotate " + observed.getKind() + "/"
                    + observed.getMetadata().getName() + " " + key);
        }
    };

    private final DecisionRecorder recorder = outcome -> log.add("status phase="
            + outcome.release().getPhase() + " aborted=" + outcome.release().getAbortedRevision());

    private record Release(ObservedState observed, String r1, String r2) {}

    /** r1 stable and fully ready; the spec asks for r2, ready too; the active Service on {@code activeOnNew ? r2 : r1}. */
    private static Release releasing(boolean activeOnNew, Phase phase, String... commands) {
        MicroserviceDeployment v1 = Msds.blueGreen("shop", "pay", 2, "pay:1");
        MicroserviceDeployment msd = Msds.blueGreen("shop", "pay", 2, "pay:2");
        msd.getMetadata().setUid("uid-pay");
        msd.getMetadata().setGeneration(2L);
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        String d1 =
                PodTemplateHash.digest(v1, ConfigReferences.digest(v1.getSpec().getTemplate(), Map.of(), Map.of()));
        String d2 = PodTemplateHash.digest(
                msd, ConfigReferences.digest(msd.getSpec().getTemplate(), Map.of(), Map.of()));
        String r1 = PodTemplateHash.revision(d1, 0);
        String r2 = PodTemplateHash.revision(d2, 0);
        Map<String, String> annotations = new HashMap<>();
        for (String c : commands) {
            annotations.put(c, "now");
        }
        msd.getMetadata().setAnnotations(annotations);
        MicroserviceDeploymentStatus status = new MicroserviceDeploymentStatus();
        status.setPhase(phase);
        status.setCurrentRevision(r2);
        status.setStableRevision(r1);
        status.setActiveRevision(activeOnNew ? r2 : r1);
        status.setPreviewRevision(r2);
        status.setPreviewReadyAt("2026-12-01T09:59:00Z");
        msd.setStatus(status);
        ReplicaSet rs1 = readyReplicaSet(msd, r1, d1, 1, true);
        ReplicaSet rs2 = readyReplicaSet(msd, r2, d2, 2, false);
        String active = activeOnNew ? r2 : r1;
        ObservedState observed = new ObservedState(
                msd,
                Optional.empty(),
                List.of(rs1, rs2),
                Optional.of(
                        owned(msd, TrafficServiceBuilder.active(msd, WorkloadLabels.revisionSelector(msd, active)))),
                Optional.of(owned(msd, TrafficServiceBuilder.preview(msd, WorkloadLabels.revisionSelector(msd, r2)))),
                Map.of(),
                Map.of());
        return new Release(observed, r1, r2);
    }

    private static ReplicaSet readyReplicaSet(
            MicroserviceDeployment msd, String rev, String digest, long number, boolean released) {
        ReplicaSet rs = RevisionReplicaSetBuilder.build(
                msd, rev, digest, "{}", RevisionReplicaSetBuilder.template(msd, rev), 2, number, null, released);
        rs.setStatus(new ReplicaSetStatusBuilder()
                .withReplicas(2)
                .withReadyReplicas(2)
                .build());
        return owned(msd, rs);
    }

    private static <R extends HasMetadata> R owned(MicroserviceDeployment msd, R object) {
        object.getMetadata()
                .getOwnerReferences()
                .forEach(ref -> ref.setUid(msd.getMetadata().getUid()));
        return object;
    }

    @Test
    void anAbortOfAPausedReleaseIsRecordedBeforeItsReplicaSetIsTouched() {
        Release release = releasing(false, Phase.Paused, Commands.ABORT);
        StrategyOutcome outcome =
                BlueGreenApplier.reconcile(release.observed(), writer, NOW, StageChecks.NONE, recorder);
        assertThat(outcome.consumedCommands()).containsExactly(Commands.ABORT);
        assertThat(log).isNotEmpty();
        assertThat(log.get(0)).isEqualTo("status phase=Aborted aborted=" + release.r2());
        assertThat(log).filteredOn(w -> w.startsWith("status")).hasSize(1);
    }

    @Test
    void anAbortAfterTheSwitchIsRecordedBeforeTheActiveServiceMovesBack() {
        Release release = releasing(true, Phase.Promoting, Commands.ABORT);
        BlueGreenApplier.reconcile(release.observed(), writer, NOW, StageChecks.NONE, recorder);
        assertThat(log).contains("apply Service/pay selector=" + release.r1());
        assertThat(log.get(0)).isEqualTo("status phase=Aborted aborted=" + release.r2());
    }

    @Test
    void aRetryIsRecordedBeforeTheAbortedReplicaSetScalesUpAgain() {
        Release release = releasing(false, Phase.Aborted, Commands.RETRY);
        release.observed().msd().getStatus().setAbortedRevision(release.r2());
        release.observed().msd().getStatus().setAbortReason("aborted by the user");
        BlueGreenApplier.reconcile(release.observed(), writer, NOW, StageChecks.NONE, recorder);
        assertThat(log.get(0)).startsWith("status phase=Paused aborted=null");
    }

    @Test
    void aReleaseWithoutADecisionToRecordWritesNoStatusAheadOfItsObjects() {
        Release release = releasing(false, Phase.Paused);
        BlueGreenApplier.reconcile(release.observed(), writer, NOW, StageChecks.NONE, recorder);
        assertThat(log).noneMatch(w -> w.startsWith("status"));
    }

    /** Every stage's checks answer {@code verdict}, with the given metric named when it fails. */
    private static StageChecks checks(ReleaseStage failing, StageVerdict verdict, Instant nextAt) {
        return new StageChecks() {
            @Override
            public Optional<Evaluation> evaluate(ReleaseStage stage, String revision, AnalysisStatus previous) {
                if (stage != failing) {
                    return Optional.empty();
                }
                AnalysisStatus status = new AnalysisStatus();
                status.setStage(stage.name());
                status.setRevision(revision);
                status.setVerdict(verdict.outcome().name());
                return Optional.of(new Evaluation(
                        status,
                        verdict,
                        Optional.ofNullable(nextAt),
                        verdict.outcome() == StageVerdict.Outcome.Failed
                                ? Optional.of("error-rate")
                                : Optional.empty()));
            }

            @Override
            public AnalysisStatus settle(AnalysisStatus analysis, String releasing, String abortedRevision) {
                return analysis;
            }
        };
    }

    private int indexOf(String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no write " + prefix + " in " + log);
    }

    @Test
    void aPromotionScalesTheNewReplicaSetBeforeTheActiveServiceMovesToIt() {
        Release release = releasing(false, Phase.Paused, Commands.PROMOTE);
        StrategyOutcome outcome =
                BlueGreenApplier.reconcile(release.observed(), writer, NOW, StageChecks.NONE, recorder);
        assertThat(outcome.release().getActiveRevision()).isEqualTo(release.r2());
        assertThat(indexOf("apply ReplicaSet/pay-" + release.r2()))
                .isLessThan(indexOf("apply Service/pay selector=" + release.r2()));
        // The command is consumed: recorded first.
        assertThat(log.get(0)).startsWith("status phase=Healthy");
    }

    @Test
    void anAbortAfterTheSwitchScalesTheAbortedReplicaSetDownOnlyAfterTheServiceMovedBack() {
        Release release = releasing(true, Phase.Promoting, Commands.ABORT);
        release.observed().msd().getSpec().getStrategy().getBlueGreen().setAbortScaleDownDelaySeconds(0);
        BlueGreenApplier.reconcile(release.observed(), writer, NOW, StageChecks.NONE, recorder);
        assertThat(log.get(0)).isEqualTo("status phase=Aborted aborted=" + release.r2());
        assertThat(indexOf("apply Service/pay selector=" + release.r1()))
                .isLessThan(indexOf("apply ReplicaSet/pay-" + release.r2() + " replicas=0"));
    }

    @Test
    void aFailedPostPromotionCheckRecordsTheRollbackThenMovesTheActiveServiceBack() {
        Release release = releasing(true, Phase.Promoting);
        StrategyOutcome outcome = BlueGreenApplier.reconcile(
                release.observed(),
                writer,
                NOW,
                checks(ReleaseStage.PostPromotion, StageVerdict.failed("error-rate 0.3 > 0.05"), null),
                recorder);
        assertThat(log.get(0)).isEqualTo("status phase=RolledBack aborted=" + release.r2());
        assertThat(log).contains("apply Service/pay selector=" + release.r1());
        assertThat(log).noneMatch(w -> w.startsWith("apply Service/pay selector=" + release.r2()));
        assertThat(outcome.release().getLastRollback()).isNotNull();
        assertThat(outcome.release().getLastRollback().getFrom()).isEqualTo(release.r2());
        assertThat(outcome.release().getLastRollback().getTo()).isEqualTo(release.r1());
        assertThat(outcome.release().getLastRollback().getReason()).isEqualTo("error-rate 0.3 > 0.05");
        assertThat(outcome.rolledBackOn()).contains("error-rate");
        assertThat(outcome.announcements())
                .anySatisfy(a -> assertThat(a.reason()).isEqualTo(EventReason.RolledBack));
    }

    @Test
    void aRunningPrePromotionCheckHoldsThePreviewWritesNothingAndWakesForItsNextMeasurement() {
        Release release = releasing(false, Phase.Paused);
        StrategyOutcome outcome = BlueGreenApplier.reconcile(
                release.observed(),
                writer,
                NOW,
                checks(ReleaseStage.PrePromotion, StageVerdict.running("1 of 3 measurements"), NOW.plusSeconds(10)),
                recorder);
        assertThat(outcome.release().getPhase()).isEqualTo(Phase.Progressing);
        assertThat(outcome.reason()).isEqualTo("PrePromotionAnalysis");
        assertThat(outcome.release().getActiveRevision()).isEqualTo(release.r1());
        assertThat(outcome.release().getAnalysis().getStage()).isEqualTo("PrePromotion");
        assertThat(outcome.requeueAfter()).contains(java.time.Duration.ofSeconds(10));
        assertThat(log).noneMatch(w -> w.startsWith("status") || w.startsWith("apply Service"));
    }
}
