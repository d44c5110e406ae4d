package dev.blueshift.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.api.v1alpha1.status.ProgressStatus;
import dev.blueshift.operator.api.v1alpha1.status.RollbackStatus;
import dev.blueshift.operator.release.rolling.Progress;
import dev.blueshift.operator.release.rolling.RollingStatus;
import dev.blueshift.operator.support.Conditions;
import dev.blueshift.operator.support.Msds;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusComposerTest {
    private static MicroserviceDeploymentStatus rolling(Progress progress, String revision, String selector) {
        return RollingStatus.of(progress, revision, selector);
    }

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final MicroserviceDeployment msd = Msds.rolling("ns", "shop", 3, "shop:1");

    @Test
    void healthyProgressMakesReadyTrueAndStampsTheGeneration() {
        msd.getMetadata().setGeneration(7L);
        MicroserviceDeploymentStatus status = StatusComposer.applied(
                msd,
                "RolloutComplete",
                rolling(
                        new Progress(Phase.Healthy, "RolloutComplete", "3 of 3 Pods are ready.", 3, 3),
                        "abc",
                        "blueshift.dev/msd=shop"),
                NOW);
        assertThat(status.getObservedGeneration()).isEqualTo(7L);
        assertThat(status.getPhase()).isEqualTo(Phase.Healthy);
        assertThat(status.getReadyReplicas()).isEqualTo(3);
        assertThat(Conditions.find(status.getConditions(), "Ready"))
                .get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(Conditions.find(status.getConditions(), "Progressing"))
                .get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(Conditions.find(status.getConditions(), "ReconcileError"))
                .get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    @Test
    void aPausedReleaseIsAvailableAndProgressingButNotReady() {
        MicroserviceDeploymentStatus paused = new MicroserviceDeploymentStatus();
        paused.setPhase(Phase.Paused);
        paused.setMessage("Preview of revision r2 is ready (1 Pods).");
        paused.setReadyReplicas(3);
        MicroserviceDeploymentStatus status = StatusComposer.applied(msd, "AwaitingPromotion", paused, NOW);
        assertThat(conditionStatus(status, "Available")).isEqualTo("True");
        assertThat(conditionStatus(status, "Progressing")).isEqualTo("True");
        assertThat(conditionStatus(status, "Ready")).isEqualTo("False");
        assertThat(Conditions.find(status.getConditions(), "Progressing")
                        .orElseThrow()
                        .getReason())
                .isEqualTo("AwaitingPromotion");
    }

    @Test
    void aReleaseWithTooFewServingPodsIsNotAvailableAndSaysHowMany() {
        Progress progress = new Progress(Phase.Degraded, "ProgressDeadlineExceeded", "stalled", 3, 2);
        msd.getMetadata().setGeneration(4L);
        MicroserviceDeploymentStatus status =
                StatusComposer.applied(msd, "ProgressDeadlineExceeded", rolling(progress, "abc", "sel"), NOW);
        Condition available =
                Conditions.find(status.getConditions(), "Available").orElseThrow();
        assertThat(available.getStatus()).isEqualTo("False");
        assertThat(available.getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(available.getMessage()).isEqualTo("2 ready Pods serve (at least 3 of 3 needed).");
        assertThat(available.getObservedGeneration()).isEqualTo(4L);
        assertThat(conditionStatus(status, "Progressing")).isEqualTo("False");
        assertThat(status.getActiveReplicas()).isEqualTo(3);
    }

    private static String conditionStatus(MicroserviceDeploymentStatus status, String type) {
        return Conditions.find(status.getConditions(), type).orElseThrow().getStatus();
    }

    @Test
    void sameObservationGivesAnEqualStatusSoNothingIsWritten() {
        Progress progress = new Progress(Phase.Progressing, "RolloutInProgress", "1 of 3", 3, 1);
        MicroserviceDeploymentStatus first =
                StatusComposer.applied(msd, "RolloutComplete", rolling(progress, "abc", "sel"), NOW);
        msd.setStatus(first);
        MicroserviceDeploymentStatus second =
                StatusComposer.applied(msd, "RolloutComplete", rolling(progress, "abc", "sel"), NOW.plusSeconds(60));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void failureKeepsTheLastReplicaCountsAndSaysWhy() {
        msd.setStatus(StatusComposer.applied(
                msd,
                "RolloutComplete",
                rolling(new Progress(Phase.Healthy, "RolloutComplete", "ok", 3, 3), "abc", "sel"),
                NOW));
        MicroserviceDeploymentStatus failed =
                StatusComposer.failed(msd, "ApplyFailed", "Deployment.apps \"shop\" is invalid", NOW);
        assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
        assertThat(failed.getReadyReplicas()).isEqualTo(3);
        assertThat(Conditions.find(failed.getConditions(), "ReconcileError"))
                .get()
                .satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("ApplyFailed");
                    assertThat(c.getMessage()).contains("is invalid");
                });
    }

    private static MicroserviceDeploymentStatus blueGreen(
            Phase phase, AnalysisStatus analysis, RollbackStatus rollback) {
        MicroserviceDeploymentStatus release = new MicroserviceDeploymentStatus();
        release.setPhase(phase);
        release.setMessage("msg");
        release.setStableRevision("r1");
        release.setAnalysis(analysis);
        release.setLastRollback(rollback);
        return release;
    }

    @Test
    void theLastRollbackStaysInStatusUntilAnotherOneReplacesIt() {
        AnalysisStatus analysis = new AnalysisStatus();
        analysis.setStage("PostPromotion");
        analysis.setVerdict("Failed");
        RollbackStatus first =
                new RollbackStatus("2026-01-01T00:00:00Z", "r2", "r1", "error-rate = 0.5, threshold < 0.1");
        msd.setStatus(StatusComposer.applied(msd, "Released", blueGreen(Phase.RolledBack, analysis, first), NOW));
        assertThat(msd.getStatus().getLastRollback()).isEqualTo(first);
        assertThat(msd.getStatus().getAnalysis()).isEqualTo(analysis);

        MicroserviceDeploymentStatus later =
                StatusComposer.applied(msd, "Released", blueGreen(Phase.Healthy, null, null), NOW.plusSeconds(60));
        assertThat(later.getLastRollback()).isEqualTo(first);
        assertThat(StatusComposer.failed(msd, "ApplyFailed", "boom", NOW).getLastRollback())
                .isEqualTo(first);
        assertThat(StatusComposer.failed(msd, "ApplyFailed", "boom", NOW).getAnalysis())
                .isEqualTo(analysis);

        RollbackStatus second =
                new RollbackStatus("2026-01-01T01:00:00Z", "r3", "r1", "errors-alarm = ALARM, threshold OK");
        assertThat(StatusComposer.applied(msd, "Released", blueGreen(Phase.RolledBack, analysis, second), NOW)
                        .getLastRollback())
                .isEqualTo(second);
        assertThat(later)
                .isNotEqualTo(
                        StatusComposer.applied(msd, "Released", blueGreen(Phase.RolledBack, analysis, second), NOW));
    }

    /** A status with every field set, as a release in flight with AWS resources has it. */
    private static MicroserviceDeploymentStatus everyField() {
        MicroserviceDeploymentStatus status = blueGreen(
                Phase.Promoting, new AnalysisStatus(), new RollbackStatus("2026-01-01T00:00:00Z", "r0", "r1", "why"));
        status.setObservedGeneration(4L);
        status.setReplicas(4);
        status.setReadyReplicas(3);
        status.setCurrentRevision("r2");
        status.setActiveRevision("r2");
        status.setPreviewRevision("r2");
        status.setActiveSelector("sel");
        status.setPreviewSelector("psel");
        status.setPreviewReadyAt("2026-01-01T00:00:00Z");
        status.setLastProgress(new ProgressStatus("r2", 1, "2026-01-01T00:00:00Z"));
        status.setAbortedRevision("r9");
        status.setAbortReason("aborted by the user");
        status.setCollisionCount(1);
        status.setAws(new AwsStatus());
        status.getAws().setRoleArn("arn:aws:iam::123456789012:role/x");
        return status;
    }

    @Test
    void failedIsThePreviousStatusWithPhaseMessageGenerationAndReconcileErrorChanged() {
        MicroserviceDeploymentStatus previous = everyField();
        msd.setStatus(previous);
        msd.getMetadata().setGeneration(5L);
        MicroserviceDeploymentStatus failed = StatusComposer.failed(msd, "ApplyFailed", "boom", NOW);
        assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
        assertThat(failed.getMessage()).isEqualTo("boom");
        assertThat(failed.getObservedGeneration()).isEqualTo(5L);

        failed.setPhase(previous.getPhase());
        failed.setMessage(previous.getMessage());
        failed.setObservedGeneration(previous.getObservedGeneration());
        failed.setConditions(previous.getConditions());
        assertThat(failed).isEqualTo(previous);
    }

    @Test
    void aCopyIsEqualAndDeepSoThatChangingItLeavesTheOriginal() {
        MicroserviceDeploymentStatus original = everyField();
        MicroserviceDeploymentStatus copy = original.copy();
        assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original).isNotSameAs(original);
        copy.getAws().setRoleArn("arn:aws:iam::123456789012:role/other");
        assertThat(original.getAws().getRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/x");
        assertThat(copy).isNotEqualTo(original);
        copy = original.copy();
        copy.getLastProgress().setReadyReplicas(2);
        assertThat(copy).isNotEqualTo(original);
    }
}
