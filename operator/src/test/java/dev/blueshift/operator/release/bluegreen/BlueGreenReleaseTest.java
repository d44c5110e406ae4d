package dev.blueshift.operator.release.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.spec.BlueGreen;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.EventReason;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.PreviousStatus;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.RollingDeployment;
import dev.blueshift.operator.release.bluegreen.BlueGreenPlan.ReplicaSetTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every state and transition of the blue/green decision, without a server. */
class BlueGreenReleaseTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** A small builder of observations: 3 replicas, defaults unless a test says otherwise. */
    static final class Given {
        int replicas = 3;
        BlueGreen settings = new BlueGreen();
        int historyLimit = 3;
        String desired;
        final Map<String, ObservedReplicaSet> replicaSets = new LinkedHashMap<>();
        String current;
        String stable;
        String active;
        Instant previewReadyAt;
        String promoting;
        String aborted;
        String abortReason;
        RollingDeployment rolling = RollingDeployment.NONE;
        Commands commands = Commands.NONE;
        StageVerdict pre = StageVerdict.PASSED;
        StageVerdict post = StageVerdict.PASSED;
        Instant now = NOW;
        int progressDeadlineSeconds = 600;
        PodProgress lastProgress;

        Given desired(String revision) {
            desired = revision;
            current = current == null ? revision : current;
            return this;
        }

        Given rs(String revision, int spec, int ready, long number) {
            return rs(revision, spec, ready, number, null);
        }

        Given rs(String revision, int spec, int ready, long number, Instant scaleDownAt) {
            boolean released = revision.equals(stable)
                    || (replicaSets.containsKey(revision)
                            && replicaSets.get(revision).released());
            replicaSets.put(
                    revision, new ObservedReplicaSet(revision, spec, ready, true, number, scaleDownAt, released));
            return this;
        }

        /** The ReplicaSet controller has not acted on the revision's current spec yet. */
        Given statusBehind(String revision) {
            ObservedReplicaSet rs = replicaSets.get(revision);
            return replace(rs, false, rs.released());
        }

        private Given replace(ObservedReplicaSet rs, boolean statusCurrent, boolean released) {
            replicaSets.put(
                    rs.revision(),
                    new ObservedReplicaSet(
                            rs.revision(),
                            rs.specReplicas(),
                            rs.readyReplicas(),
                            statusCurrent,
                            rs.revisionNumber(),
                            rs.scaleDownAt(),
                            released));
            return this;
        }

        /** Status records that the desired revision's promotion has started. */
        Given promoting(String revision) {
            promoting = revision;
            return this;
        }

        Given released(String revision) {
            ObservedReplicaSet rs = replicaSets.get(revision);
            return replace(rs, rs.statusCurrent(), true);
        }

        Given stable(String revision) {
            stable = revision;
            active = active == null ? revision : active;
            return this;
        }

        Given active(String revision) {
            active = revision;
            return this;
        }

        Given current(String revision) {
            current = revision;
            return this;
        }

        Given previewReadyAt(Instant at) {
            previewReadyAt = at;
            return this;
        }

        Given aborted(String revision, String why) {
            aborted = revision;
            abortReason = why;
            return this;
        }

        Given commands(boolean promote, boolean abort, boolean retry) {
            commands = new Commands(promote, abort, retry);
            return this;
        }

        Given manualPromotion() {
            settings.getAutoPromotion().setEnabled(false);
            return this;
        }

        Given autoPromotionAfter(int seconds) {
            settings.getAutoPromotion().setAfterSeconds(seconds);
            return this;
        }

        Given previewReplicas(int n) {
            settings.setPreviewReplicaCount(n);
            return this;
        }

        Given now(Instant at) {
            now = at;
            return this;
        }

        Given progressDeadline(int seconds) {
            progressDeadlineSeconds = seconds;
            return this;
        }
        /** Carries the plan's progress into the next observation, as status does between reconciles. */
        Given after(BlueGreenPlan plan) {
            lastProgress = plan.lastProgress();
            return this;
        }

        BlueGreenPlan decide() {
            return BlueGreenRelease.decide(new BlueGreenObservation(
                    replicas,
                    settings,
                    historyLimit,
                    desired,
                    replicaSets,
                    new PreviousStatus(
                            current, stable, active, previewReadyAt, promoting, aborted, abortReason, lastProgress),
                    rolling,
                    commands,
                    pre,
                    post,
                    progressDeadlineSeconds,
                    now));
        }
    }

    static ReplicaSetTarget target(BlueGreenPlan plan, String revision) {
        return plan.replicaSets().get(revision);
    }

    @Nested
    class FirstRelease {
        @Test
        void createsTheReplicaSetAtFullSizeAndPointsBothServicesAtIt() {
            BlueGreenPlan plan = new Given().desired("r1").decide();
            assertThat(target(plan, "r1").replicas()).isEqualTo(3);
            assertThat(target(plan, "r1").revisionNumber()).isEqualTo(1);
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.previewRevision()).isEqualTo("r1");
            assertThat(plan.stableRevision()).isNull();
            assertThat(plan.phase()).isEqualTo(Phase.Progressing);
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.FirstRelease);
        }

        @Test
        void becomesStableWhenAllPodsAreReady() {
            BlueGreenPlan plan = new Given().desired("r1").rs("r1", 3, 3, 1).decide();
            assertThat(plan.stableRevision()).isEqualTo("r1");
            assertThat(plan.phase()).isEqualTo(Phase.Healthy);
        }

        @Test
        void switchingFromRollingKeepsTheDeploymentServingUntilTheReplicaSetIsReady() {
            Given given = new Given().desired("r1").rs("r1", 3, 2, 1);
            given.rolling = new RollingDeployment(true, 3, null);
            BlueGreenPlan plan = given.decide();
            assertThat(plan.activeRevision())
                    .as("null selects every Pod of the MSD, the Deployment's included")
                    .isNull();
            assertThat(plan.deleteRollingDeployment()).isFalse();
            assertThat(plan.rollingDeploymentDeleteAt()).isNull();
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.SwitchingStrategy);

            given.rs("r1", 3, 3, 1);
            BlueGreenPlan done = given.decide();
            assertThat(done.activeRevision()).isEqualTo("r1");
            assertThat(done.phase()).isEqualTo(Phase.Healthy);
            assertThat(done.deleteRollingDeployment())
                    .as("its Pods may still be sent requests until kube-proxy has the switch")
                    .isFalse();
            assertThat(done.rollingDeploymentDeleteAt())
                    .isEqualTo(NOW.plusSeconds(given.settings.getScaleDownDelaySeconds()));
            assertThat(done.requeueAfter()).hasValue(Duration.ofSeconds(given.settings.getScaleDownDelaySeconds()));
        }

        @Test
        void theRollingDeploymentLeftByTheActiveServiceGoesWhenItsDelayIsOver() {
            Given given = new Given().desired("r1").stable("r1").rs("r1", 3, 3, 1);
            given.rolling = new RollingDeployment(true, 3, NOW.plusSeconds(10));
            BlueGreenPlan waiting = given.decide();
            assertThat(waiting.deleteRollingDeployment()).isFalse();
            assertThat(waiting.rollingDeploymentDeleteAt()).isEqualTo(NOW.plusSeconds(10));
            assertThat(waiting.activeRevision()).isEqualTo("r1");

            BlueGreenPlan due = given.now(NOW.plusSeconds(10)).decide();
            assertThat(due.deleteRollingDeployment()).isTrue();
        }
    }

    @Nested
    class Steady {
        @Test
        void keepsTheStableRevisionAtFullSize() {
            BlueGreenPlan plan =
                    new Given().desired("r1").stable("r1").rs("r1", 3, 3, 1).decide();
            assertThat(plan.phase()).isEqualTo(Phase.Healthy);
            assertThat(target(plan, "r1").replicas()).isEqualTo(3);
            assertThat(plan.requeueAfter()).isEmpty();
        }

        @Test
        void scalingReplicasAloneResizesTheStableReplicaSetWithoutANewRevision() {
            Given given = new Given().desired("r1").stable("r1").rs("r1", 3, 3, 1);
            given.replicas = 5;
            BlueGreenPlan plan = given.decide();
            assertThat(plan.replicaSets()).containsOnlyKeys("r1");
            assertThat(target(plan, "r1").replicas()).isEqualTo(5);
            assertThat(plan.phase()).isEqualTo(Phase.Progressing);
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.Scaling);
        }
    }

    @Nested
    class NewRevision {
        Given releasing() {
            return new Given().desired("r2").current("r2").stable("r1").rs("r1", 3, 3, 1);
        }

        @Test
        void startsAPreviewAtPreviewReplicaCountWhileActiveStaysOnStable() {
            BlueGreenPlan plan = releasing().previewReplicas(1).decide();
            assertThat(target(plan, "r2").replicas()).isEqualTo(1);
            assertThat(target(plan, "r2").revisionNumber()).isEqualTo(2);
            assertThat(target(plan, "r1").replicas()).isEqualTo(3);
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.previewRevision()).isEqualTo("r2");
            assertThat(plan.phase()).isEqualTo(Phase.Progressing);
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.Previewing);
        }

        @Test
        void previewDefaultsToFullSize() {
            BlueGreenPlan plan = releasing().decide();
            assertThat(target(plan, "r2").replicas()).isEqualTo(3);
        }

        @Test
        void readyPreviewWithAutoPromotionIsPromotedAtOnceWhenAlreadyFullSize() {
            BlueGreenPlan plan = releasing().rs("r2", 3, 3, 2).decide();
            assertThat(plan.activeRevision()).isEqualTo("r2");
            assertThat(plan.stableRevision()).isEqualTo("r2");
            assertThat(plan.phase()).isEqualTo(Phase.Healthy);
            assertThat(plan.announcements())
                    .anySatisfy(a -> assertThat(a.reason()).isEqualTo(EventReason.Promoted));
            assertThat(target(plan, "r1").scaleDownAt())
                    .as("old stable waits scaleDownDelaySeconds")
                    .isEqualTo(NOW.plusSeconds(30));
            assertThat(target(plan, "r1").replicas()).isEqualTo(3);
            assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(30));
        }

        @Test
        void promotionScalesASmallPreviewToFullSizeBeforeTheActiveServiceMoves() {
            BlueGreenPlan plan =
                    releasing().previewReplicas(1).rs("r2", 1, 1, 2).decide();
            assertThat(target(plan, "r2").replicas()).isEqualTo(3);
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.phase()).isEqualTo(Phase.Promoting);
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.ScalingUp);
        }

        @Test
        void aPromotionRecordedInStatusGoesOnAfterARestartWithoutAnotherPromote() {
            // e.g. after an operator restart: status recorded the promotion, the preview is being scaled to full size
            BlueGreenPlan plan = releasing()
                    .previewReplicas(1)
                    .manualPromotion()
                    .promoting("r2")
                    .rs("r2", 3, 2, 2)
                    .decide();
            assertThat(plan.phase()).isEqualTo(Phase.Promoting);
            assertThat(plan.promotingRevision()).isEqualTo("r2");
            assertThat(target(plan, "r2").replicas()).isEqualTo(3);
        }

        @Test
        void aPreviewScaledToFullSizeByHandIsNoPromotion() {
            // kubectl scale on the preview ReplicaSet (or an autoscaler on it): no promote, no recorded promotion
            BlueGreenPlan plan = releasing()
                    .previewReplicas(1)
                    .manualPromotion()
                    .rs("r2", 3, 3, 2)
                    .decide();
            assertThat(plan.phase()).isEqualTo(Phase.Paused);
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.AwaitingPromotion);
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.promotingRevision()).isNull();
            assertThat(target(plan, "r2").replicas())
                    .as("back to the preview size")
                    .isEqualTo(1);
        }

        @Test
        void aPreviewScaledUpByHandStillWaitsForItsPrePromotionChecks() {
            Given given = releasing().previewReplicas(1).rs("r2", 3, 3, 2);
            given.pre = StageVerdict.running("1 of 3 measurements");
            BlueGreenPlan plan = given.decide();
            assertThat(plan.phase()).isEqualTo(Phase.Progressing);
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.PrePromotionAnalysis);
            assertThat(plan.activeRevision()).isEqualTo("r1");
        }

        @Test
        void thePromotionIsRecordedWhenItStartsAndForgottenOnceStable() {
            BlueGreenPlan starting = releasing()
                    .previewReplicas(1)
                    .rs("r2", 1, 1, 2)
                    .commands(true, false, false)
                    .decide();
            assertThat(starting.promotingRevision()).isEqualTo("r2");
            BlueGreenPlan done = releasing()
                    .previewReplicas(1)
                    .promoting("r2")
                    .rs("r2", 3, 3, 2)
                    .decide();
            assertThat(done.stableRevision()).isEqualTo("r2");
            assertThat(done.promotingRevision()).isNull();
        }

        @Test
        void anAbortEndsARecordedPromotionAndARetryStartsFromThePreviewAgain() {
            BlueGreenPlan aborted = releasing()
                    .previewReplicas(1)
                    .promoting("r2")
                    .rs("r2", 3, 2, 2)
                    .commands(false, true, false)
                    .decide();
            assertThat(aborted.abortedRevision()).isEqualTo("r2");
            assertThat(aborted.promotingRevision()).isNull();
            BlueGreenPlan retried = releasing()
                    .previewReplicas(1)
                    .manualPromotion()
                    .promoting("r2")
                    .aborted("r2", "aborted by the user")
                    .rs("r2", 3, 3, 2)
                    .commands(false, false, true)
                    .decide();
            assertThat(retried.phase()).isEqualTo(Phase.Paused);
            assertThat(retried.promotingRevision()).isNull();
            assertThat(target(retried, "r2").replicas()).isEqualTo(1);
        }

        @Test
        void theActiveServiceWaitsForAReplicaSetStatusThatDescribesItsCurrentSize() {
            BlueGreenPlan plan = releasing()
                    .previewReplicas(1)
                    .promoting("r2")
                    .rs("r2", 3, 3, 2)
                    .statusBehind("r2")
                    .decide();
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.phase()).isEqualTo(Phase.Promoting);
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.ScalingUp);
        }

        @Test
        void manualPromotionPausesUntilThePromoteCommand() {
            BlueGreenPlan paused =
                    releasing().manualPromotion().rs("r2", 3, 3, 2).decide();
            assertThat(paused.phase()).isEqualTo(Phase.Paused);
            assertThat(paused.reason()).isEqualTo(BlueGreenReason.AwaitingPromotion);
            assertThat(paused.activeRevision()).isEqualTo("r1");
            assertThat(paused.previewReadyAt()).isEqualTo(NOW);

            BlueGreenPlan promoted = releasing()
                    .manualPromotion()
                    .rs("r2", 3, 3, 2)
                    .commands(true, false, false)
                    .decide();
            assertThat(promoted.activeRevision()).isEqualTo("r2");
            assertThat(promoted.consumed()).containsExactly(Commands.PROMOTE);
        }

        @Test
        void autoPromotionAfterSecondsPausesUntilDue() {
            Instant readyAt = NOW.minusSeconds(10);
            BlueGreenPlan waiting = releasing()
                    .autoPromotionAfter(60)
                    .rs("r2", 3, 3, 2)
                    .previewReadyAt(readyAt)
                    .decide();
            assertThat(waiting.phase()).isEqualTo(Phase.Paused);
            assertThat(waiting.reason()).isEqualTo(BlueGreenReason.AutoPromotionScheduled);
            assertThat(waiting.requeueAfter()).contains(Duration.ofSeconds(50));
            assertThat(waiting.previewReadyAt()).isEqualTo(readyAt);

            BlueGreenPlan due = releasing()
                    .autoPromotionAfter(60)
                    .rs("r2", 3, 3, 2)
                    .previewReadyAt(readyAt)
                    .now(NOW.plusSeconds(50))
                    .decide();
            assertThat(due.activeRevision()).isEqualTo("r2");
        }

        @Test
        void previewReadyTimeIsForgottenWhenTheTemplateChangesAgain() {
            BlueGreenPlan plan = releasing()
                    .autoPromotionAfter(60)
                    .current("r2")
                    .previewReadyAt(NOW.minusSeconds(59))
                    .desired("r3")
                    .current("r2")
                    .rs("r3", 3, 3, 3)
                    .decide();
            assertThat(plan.previewReadyAt()).isEqualTo(NOW);
            assertThat(plan.phase()).isEqualTo(Phase.Paused);
        }

        @Test
        void previewNotReadyYetKeepsWaiting() {
            BlueGreenPlan plan = releasing().rs("r2", 3, 1, 2).decide();
            assertThat(plan.phase()).isEqualTo(Phase.Progressing);
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.previewReadyAt()).isNull();
        }

        @Test
        void runningPrePromotionChecksHoldThePromotion() {
            Given given = releasing().rs("r2", 3, 3, 2);
            given.pre = StageVerdict.running("1 of 3 measurements");
            BlueGreenPlan plan = given.decide();
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.reason()).isEqualTo(BlueGreenReason.PrePromotionAnalysis);
        }

        @Test
        void failedPrePromotionChecksAbortWithoutMovingTheActiveService() {
            Given given = releasing().rs("r2", 3, 3, 2);
            given.pre = StageVerdict.failed("error-rate 0.2 > 0.05");
            BlueGreenPlan plan = given.decide();
            assertThat(plan.phase()).isEqualTo(Phase.Aborted);
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.previewRevision()).isEqualTo("r1");
            assertThat(plan.abortedRevision()).isEqualTo("r2");
            assertThat(plan.abortReason()).contains("error-rate 0.2 > 0.05");
            assertThat(target(plan, "r2").scaleDownAt()).isEqualTo(NOW.plusSeconds(30));
        }

        @Test
        void runningPostPromotionChecksKeepTheOldStableScaledUp() {
            Given given = releasing().rs("r2", 3, 3, 2).active("r2");
            given.post = StageVerdict.running("bake time 60s");
            BlueGreenPlan plan = given.decide();
            assertThat(plan.activeRevision()).isEqualTo("r2");
            assertThat(plan.stableRevision()).isEqualTo("r1");
            assertThat(target(plan, "r1").replicas()).isEqualTo(3);
            assertThat(target(plan, "r1").scaleDownAt()).isNull();
            assertThat(plan.phase()).isEqualTo(Phase.Promoting);
        }

        @Test
        void failedPostPromotionChecksRollBackToTheWarmStable() {
            Given given = releasing().rs("r2", 3, 3, 2).active("r2");
            given.post = StageVerdict.failed("alarm shop-errors in ALARM");
            BlueGreenPlan plan = given.decide();
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.stableRevision()).isEqualTo("r1");
            assertThat(plan.phase()).isEqualTo(Phase.RolledBack);
            assertThat(plan.rolledBack()).isTrue();
            assertThat(plan.abortedRevision()).isEqualTo("r2");
            assertThat(target(plan, "r1").replicas()).isEqualTo(3);
            assertThat(plan.announcements()).anySatisfy(a -> {
                assertThat(a.reason()).isEqualTo(EventReason.RolledBack);
                assertThat(a.warning()).isTrue();
                assertThat(a.message()).contains("alarm shop-errors in ALARM");
            });
            assertThat(plan.announcements())
                    .noneSatisfy(a -> assertThat(a.reason()).isEqualTo(EventReason.Aborted));
        }

        @Test
        void aRolledBackRevisionStaysRolledBackOnLaterReconciles() {
            Given given =
                    releasing().rs("r2", 3, 3, 2).aborted("r2", BlueGreenRelease.ROLLBACK_REASON + "error-rate = 0.5");
            BlueGreenPlan plan = given.decide();
            assertThat(plan.phase()).isEqualTo(Phase.RolledBack);
            assertThat(plan.rolledBack()).isFalse();
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.consulted()).isEmpty();
        }

        @Test
        void theDecisionReadsOnlyTheStageTheReleaseHasReached() {
            assertThat(releasing().rs("r2", 3, 1, 2).decide().consulted()).isEmpty();
            Given preview = releasing().rs("r2", 3, 3, 2);
            preview.pre = StageVerdict.running("measuring");
            assertThat(preview.decide().consulted()).containsExactly(ReleaseStage.PrePromotion);
            Given promotedNow = releasing().rs("r2", 3, 3, 2);
            promotedNow.post = StageVerdict.running("baking");
            assertThat(promotedNow.decide().consulted())
                    .containsExactly(ReleaseStage.PrePromotion, ReleaseStage.PostPromotion);
            Given serving = releasing().rs("r2", 3, 3, 2).active("r2");
            serving.post = StageVerdict.running("baking");
            assertThat(serving.decide().consulted()).containsExactly(ReleaseStage.PostPromotion);
        }
    }

    @Nested
    class ProgressDeadline {
        @Test
        void aPreviewWhosePodsNeverBecomeReadyIsDegradedAtTheDeadlineAndKeepsWaiting() {
            Given given = new Given()
                    .desired("r2")
                    .stable("r1")
                    .rs("r1", 3, 3, 1)
                    .rs("r2", 3, 0, 2)
                    .progressDeadline(60);
            BlueGreenPlan waiting = given.decide();
            assertThat(waiting.phase()).isEqualTo(Phase.Progressing);
            assertThat(waiting.reason()).isEqualTo(BlueGreenReason.Previewing);
            assertThat(waiting.lastProgress()).isEqualTo(new PodProgress("r2", 0, NOW));
            assertThat(waiting.requeueAfter()).as("wakes at the deadline").contains(Duration.ofSeconds(60));

            BlueGreenPlan almost = given.after(waiting).now(NOW.plusSeconds(59)).decide();
            assertThat(almost.phase()).isEqualTo(Phase.Progressing);
            assertThat(almost.lastProgress()).isEqualTo(waiting.lastProgress());

            BlueGreenPlan degraded =
                    given.after(almost).now(NOW.plusSeconds(60)).decide();
            assertThat(degraded.phase()).isEqualTo(Phase.Degraded);
            assertThat(degraded.reason()).isEqualTo(BlueGreenReason.ProgressDeadlineExceeded);
            assertThat(degraded.message())
                    .contains(
                            "0 of 3 Pods of revision r2 ready",
                            "No Pod of revision r2 became ready for 60 s",
                            "spec.progressDeadlineSeconds",
                            "still waiting");
            assertThat(degraded.activeRevision())
                    .as("traffic stays on the stable revision")
                    .isEqualTo("r1");
            assertThat(target(degraded, "r2").replicas())
                    .as("the preview is kept, still waiting")
                    .isEqualTo(3);
            assertThat(target(degraded, "r1").replicas()).isEqualTo(3);
        }

        @Test
        void aPodThatBecomesReadyStartsTheClockAgainAndEndsDegraded() {
            Given given = new Given()
                    .desired("r2")
                    .stable("r1")
                    .rs("r1", 3, 3, 1)
                    .rs("r2", 3, 0, 2)
                    .progressDeadline(60);
            BlueGreenPlan degraded =
                    given.after(given.decide()).now(NOW.plusSeconds(90)).decide();
            assertThat(degraded.phase()).isEqualTo(Phase.Degraded);

            BlueGreenPlan progressing = given.after(degraded)
                    .rs("r2", 3, 1, 2)
                    .now(NOW.plusSeconds(100))
                    .decide();
            assertThat(progressing.phase()).isEqualTo(Phase.Progressing);
            assertThat(progressing.lastProgress()).isEqualTo(new PodProgress("r2", 1, NOW.plusSeconds(100)));

            // A Pod lost again is no progress: the clock runs on from the last one that came.
            BlueGreenPlan lost = given.after(progressing)
                    .rs("r2", 3, 0, 2)
                    .now(NOW.plusSeconds(161))
                    .decide();
            assertThat(lost.phase()).isEqualTo(Phase.Degraded);
            assertThat(lost.lastProgress().since()).isEqualTo(NOW.plusSeconds(100));
        }

        @Test
        void promotionScalingUpAFirstReleaseAndALostStablePodAreWaitsForPodsToo() {
            Given scalingUp = new Given()
                    .desired("r2")
                    .stable("r1")
                    .rs("r1", 3, 3, 1)
                    .rs("r2", 3, 1, 2)
                    .previewReplicas(1)
                    .progressDeadline(30);
            scalingUp.commands(true, false, false);
            BlueGreenPlan promoting = scalingUp.decide();
            assertThat(promoting.reason()).isEqualTo(BlueGreenReason.ScalingUp);
            assertThat(scalingUp
                            .after(promoting)
                            .commands(false, false, false)
                            .now(NOW.plusSeconds(30))
                            .decide()
                            .phase())
                    .isEqualTo(Phase.Degraded);

            Given first = new Given().desired("r1").rs("r1", 3, 2, 1).progressDeadline(30);
            assertThat(first.after(first.decide())
                            .now(NOW.plusSeconds(30))
                            .decide()
                            .reason())
                    .isEqualTo(BlueGreenReason.ProgressDeadlineExceeded);

            Given steady =
                    new Given().desired("r1").stable("r1").rs("r1", 3, 2, 1).progressDeadline(30);
            BlueGreenPlan scaling = steady.decide();
            assertThat(scaling.reason()).isEqualTo(BlueGreenReason.Scaling);
            assertThat(steady.after(scaling).now(NOW.plusSeconds(30)).decide().phase())
                    .isEqualTo(Phase.Degraded);
        }

        @Test
        void nothingIsTrackedWhileTheReleaseWaitsForNoPod() {
            Given paused = new Given()
                    .desired("r2")
                    .stable("r1")
                    .rs("r1", 3, 3, 1)
                    .rs("r2", 3, 3, 2)
                    .manualPromotion();
            paused.lastProgress = new PodProgress("r2", 2, NOW.minusSeconds(3600));
            BlueGreenPlan plan = paused.decide();
            assertThat(plan.phase()).isEqualTo(Phase.Paused);
            assertThat(plan.lastProgress()).isNull();

            BlueGreenPlan healthy =
                    new Given().desired("r1").stable("r1").rs("r1", 3, 3, 1).decide();
            assertThat(healthy.lastProgress()).isNull();
        }
    }

    @Nested
    class AbortAndRetry {
        Given inPreview() {
            return new Given()
                    .desired("r2")
                    .stable("r1")
                    .rs("r1", 3, 3, 1)
                    .rs("r2", 3, 3, 2)
                    .manualPromotion();
        }

        @Test
        void abortKeepsActiveOnStableAndSchedulesTheScaleDown() {
            BlueGreenPlan plan = inPreview().commands(false, true, false).decide();
            assertThat(plan.phase()).isEqualTo(Phase.Aborted);
            assertThat(plan.abortedRevision()).isEqualTo("r2");
            assertThat(plan.abortReason()).isEqualTo("aborted by the user");
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(target(plan, "r2").replicas()).isEqualTo(3);
            assertThat(target(plan, "r2").scaleDownAt()).isEqualTo(NOW.plusSeconds(30));
            assertThat(plan.consumed()).containsExactly(Commands.ABORT);
        }

        @Test
        void abortedRevisionScalesDownOnceItsDelayPassed() {
            BlueGreenPlan plan = inPreview()
                    .aborted("r2", "aborted by the user")
                    .rs("r2", 3, 3, 2, NOW.minusSeconds(1))
                    .decide();
            assertThat(target(plan, "r2").replicas()).isZero();
            assertThat(plan.phase()).isEqualTo(Phase.Aborted);
        }

        @Test
        void abortAfterTheSwitchMovesTheActiveServiceBack() {
            BlueGreenPlan plan =
                    inPreview().active("r2").commands(false, true, false).decide();
            assertThat(plan.activeRevision()).isEqualTo("r1");
        }

        @Test
        void abortWithNothingInFlightDoesNothingButIsConsumed() {
            BlueGreenPlan plan = new Given()
                    .desired("r1")
                    .stable("r1")
                    .rs("r1", 3, 3, 1)
                    .commands(false, true, false)
                    .decide();
            assertThat(plan.phase()).isEqualTo(Phase.Healthy);
            assertThat(plan.abortedRevision()).isNull();
            assertThat(plan.consumed()).containsExactly(Commands.ABORT);
        }

        @Test
        void retryRestartsTheAbortedRelease() {
            BlueGreenPlan plan = inPreview()
                    .aborted("r2", "aborted by the user")
                    .commands(false, false, true)
                    .decide();
            assertThat(plan.abortedRevision()).isNull();
            assertThat(plan.phase()).isEqualTo(Phase.Paused);
            assertThat(target(plan, "r2").scaleDownAt()).isNull();
            assertThat(plan.consumed()).containsExactly(Commands.RETRY);
        }

        /** Status records the abort before its annotation goes, so a retry can meet the abort still there. */
        @Test
        void aRetryBesideTheAbortItFollowsRestartsTheRelease() {
            BlueGreenPlan plan = inPreview()
                    .aborted("r2", "aborted by the user")
                    .commands(false, true, true)
                    .decide();
            assertThat(plan.abortedRevision()).isNull();
            assertThat(plan.phase()).isEqualTo(Phase.Paused);
            assertThat(plan.consumed()).containsExactlyInAnyOrder(Commands.ABORT, Commands.RETRY);
        }

        @Test
        void anAbortAndARetryGivenTogetherLeaveTheReleaseGoing() {
            BlueGreenPlan plan = inPreview().commands(false, true, true).decide();
            assertThat(plan.abortedRevision()).isNull();
            assertThat(plan.phase()).isEqualTo(Phase.Paused);
            assertThat(plan.consumed()).containsExactlyInAnyOrder(Commands.ABORT, Commands.RETRY);
        }

        @Test
        void aNewTemplateSupersedesAnAbortedOne() {
            BlueGreenPlan plan = inPreview()
                    .aborted("r2", "aborted by the user")
                    .desired("r3")
                    .decide();
            assertThat(plan.abortedRevision()).isNull();
            assertThat(plan.previewRevision()).isEqualTo("r3");
        }
    }

    @Nested
    class RollbackAndHistory {
        @Test
        void reapplyingAWarmRevisionSwitchesBackAtOnceWithoutPause() {
            // r1 was stable, r2 was promoted; r1 is still scaled up within its scale-down delay
            BlueGreenPlan plan = new Given()
                    .desired("r1")
                    .current("r1")
                    .stable("r2")
                    .manualPromotion()
                    .rs("r1", 3, 3, 1, NOW.plusSeconds(20))
                    .released("r1")
                    .rs("r2", 3, 3, 2)
                    .decide();
            assertThat(plan.activeRevision()).isEqualTo("r1");
            assertThat(plan.stableRevision()).isEqualTo("r1");
            assertThat(target(plan, "r1").scaleDownAt()).isNull();
            assertThat(target(plan, "r1").revisionNumber())
                    .as("a rollback makes it the newest")
                    .isEqualTo(3);
            assertThat(target(plan, "r2").scaleDownAt()).isEqualTo(NOW.plusSeconds(30));
            assertThat(plan.announcements()).anySatisfy(a -> {
                assertThat(a.reason()).isEqualTo(EventReason.FastRollback);
                assertThat(a.message()).contains("fast rollback");
            });
        }

        @Test
        void aWarmReplicaSetWhoseStatusPredatesItsScaleDownIsNoFastRollback() {
            // r1's scale-down to 0 is not acted on yet: its status still counts the Pods being removed
            BlueGreenPlan plan = new Given()
                    .desired("r1")
                    .current("r1")
                    .stable("r2")
                    .manualPromotion()
                    .rs("r1", 0, 3, 1)
                    .released("r1")
                    .statusBehind("r1")
                    .rs("r2", 3, 3, 2)
                    .decide();
            assertThat(plan.activeRevision()).isEqualTo("r2");
            assertThat(plan.announcements())
                    .noneSatisfy(a -> assertThat(a.reason()).isEqualTo(EventReason.FastRollback));
        }

        @Test
        void aReadyPreviewThatWasNeverReleasedIsNoFastRollback() {
            BlueGreenPlan plan = new Given()
                    .desired("r2")
                    .stable("r1")
                    .manualPromotion()
                    .rs("r1", 3, 3, 1)
                    .rs("r2", 3, 3, 2)
                    .decide();
            assertThat(plan.phase()).isEqualTo(Phase.Paused);
            assertThat(plan.activeRevision()).isEqualTo("r1");
        }

        @Test
        void completingAReleaseMarksTheRevisionReleased() {
            BlueGreenPlan plan = new Given()
                    .desired("r2")
                    .stable("r1")
                    .rs("r1", 3, 3, 1)
                    .rs("r2", 3, 3, 2)
                    .decide();
            assertThat(target(plan, "r2").released()).isTrue();
            assertThat(target(plan, "r1").released()).isTrue();
        }

        @Test
        void oldRevisionsAreScaledDownAfterTheirDelayAndPrunedBeyondTheLimit() {
            Given given = new Given()
                    .desired("r5")
                    .stable("r5")
                    .rs("r5", 3, 3, 5)
                    .rs("r4", 3, 3, 4, NOW.minusSeconds(1))
                    .rs("r3", 0, 0, 3)
                    .rs("r2", 0, 0, 2)
                    .rs("r1", 0, 0, 1);
            given.historyLimit = 2;
            BlueGreenPlan plan = given.decide();
            assertThat(target(plan, "r4").replicas()).isZero();
            assertThat(plan.prune()).containsExactly("r2", "r1");
            assertThat(plan.replicaSets()).containsOnlyKeys("r5", "r4", "r3");
        }

        @Test
        void neverPrunesWhatIsInUse() {
            Given given =
                    new Given().desired("r2").stable("r1").rs("r1", 3, 3, 1).rs("r2", 0, 0, 2);
            given.historyLimit = 0;
            BlueGreenPlan plan = given.decide();
            assertThat(plan.prune()).isEmpty();
        }

        @Test
        void activeServiceNeverMovesToARevisionWithoutReadyPods() {
            // stable r1 lost its Pods; the active Service stays on r2, which still has ready ones
            BlueGreenPlan plan = new Given()
                    .desired("r1")
                    .stable("r1")
                    .active("r2")
                    .rs("r1", 3, 0, 1)
                    .rs("r2", 3, 3, 2)
                    .decide();
            assertThat(plan.activeRevision()).isEqualTo("r2");
            assertThat(target(plan, "r2").replicas()).isPositive();
        }
    }
}
