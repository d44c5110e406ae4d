package dev.blueshift.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.status.AlarmStatus;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.aws.AwsOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsStatusComposerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    AwsOutcome outcome(boolean identity, String reason) {
        AwsStatus aws = new AwsStatus();
        aws.setRoleArn("arn:aws:iam::1:role/r");
        aws.setAlarms(List.of(new AlarmStatus("errors", "rev1", "blueshift/c/ns/cart/errors/rev1", "OK")));
        return new AwsOutcome(
                Optional.of(aws),
                List.of(
                        new AwsOutcome.Condition("AwsIdentity", identity, reason, "m"),
                        new AwsOutcome.Condition("AwsAlarms", true, "AlarmsReady", "1 alarm(s)")),
                Optional.empty(),
                List.of(),
                Optional.empty());
    }

    @Test
    void statusCarriesTheRoleTheAlarmsAndOneConditionEach() {
        MicroserviceDeploymentStatus next =
                AwsStatusComposer.with(new MicroserviceDeploymentStatus(), outcome(true, "RoleReady"), 1L, T0);

        assertThat(next.getAws().getRoleArn()).isEqualTo("arn:aws:iam::1:role/r");
        assertThat(next.getAws().getAlarms()).extracting(AlarmStatus::getState).containsExactly("OK");
        assertThat(next.getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .containsExactly("AwsIdentity=True/RoleReady", "AwsAlarms=True/AlarmsReady");
    }

    @Test
    void anUnchangedOutcomeKeepsTheTransitionTimeSoTheStatusIsNotRewritten() {
        MicroserviceDeploymentStatus first =
                AwsStatusComposer.with(new MicroserviceDeploymentStatus(), outcome(true, "RoleReady"), 1L, T0);
        MicroserviceDeploymentStatus carried = new MicroserviceDeploymentStatus();
        carried.setConditions(first.getConditions());

        MicroserviceDeploymentStatus second =
                AwsStatusComposer.with(carried, outcome(true, "RoleReady"), 1L, T0.plusSeconds(600));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void conditionsOfAnAwsSpecThatIsGoneAreRemoved() {
        MicroserviceDeploymentStatus first =
                AwsStatusComposer.with(new MicroserviceDeploymentStatus(), outcome(false, "RoleNotOwned"), 1L, T0);
        MicroserviceDeploymentStatus carried = new MicroserviceDeploymentStatus();
        carried.setConditions(first.getConditions());

        MicroserviceDeploymentStatus next = AwsStatusComposer.with(carried, AwsOutcome.none(), 2L, T0);

        assertThat(next.getAws()).isNull();
        assertThat(next.getConditions()).isEmpty();
    }
}
