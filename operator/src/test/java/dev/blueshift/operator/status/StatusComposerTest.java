package dev.blueshift.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.Progress;
import dev.blueshift.operator.support.Msds;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusComposerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final MicroserviceDeployment msd = Msds.rolling("ns", "shop", 3, "shop:1");

  @Test
  void healthyProgressMakesReadyTrueAndStampsTheGeneration() {
    msd.getMetadata().setGeneration(7L);
    MicroserviceDeploymentStatus status =
        StatusComposer.applied(msd, StatusComposer.rolling(new Progress(Phase.Healthy, "RolloutComplete", "3 of 3 Pods are ready.", 3, 3), "abc", "blueshift.dev/msd=shop"), NOW);
    assertThat(status.getObservedGeneration()).isEqualTo(7L);
    assertThat(status.getPhase()).isEqualTo(Phase.Healthy);
    assertThat(status.getReadyReplicas()).isEqualTo(3);
    assertThat(ConditionList.find(status.getConditions(), "Ready")).get().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(ConditionList.find(status.getConditions(), "Progressing")).get().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(ConditionList.find(status.getConditions(), "ReconcileError")).get().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
  }

  @Test
  void sameObservationGivesAnEqualStatusSoNothingIsWritten() {
    Progress progress = new Progress(Phase.Progressing, "RolloutInProgress", "1 of 3", 3, 1);
    MicroserviceDeploymentStatus first = StatusComposer.applied(msd, StatusComposer.rolling(progress, "abc", "sel"), NOW);
    msd.setStatus(first);
    MicroserviceDeploymentStatus second = StatusComposer.applied(msd, StatusComposer.rolling(progress, "abc", "sel"), NOW.plusSeconds(60));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void failureKeepsTheLastReplicaCountsAndSaysWhy() {
    msd.setStatus(StatusComposer.applied(msd, StatusComposer.rolling(new Progress(Phase.Healthy, "RolloutComplete", "ok", 3, 3), "abc", "sel"), NOW));
    MicroserviceDeploymentStatus failed = StatusComposer.failed(msd, "ApplyFailed", "Deployment.apps \"shop\" is invalid", NOW);
    assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
    assertThat(failed.getReadyReplicas()).isEqualTo(3);
    assertThat(ConditionList.find(failed.getConditions(), "ReconcileError")).get().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("ApplyFailed");
      assertThat(c.getMessage()).contains("is invalid");
    });
  }
}
