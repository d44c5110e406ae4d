package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AwsSpec;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.api.v1alpha1.status.AlarmStatus;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is known of an MSD's AWS resources without asking AWS: what the last sync found (or what
 * status says, after a restart), with the alarms' latest states from the shared poller.
 */
final class KnownState {
    private final AlarmPoller poller;

    KnownState(AlarmPoller poller) {
        this.poller = poller;
    }

    /** The last sync's outcome with the alarms' latest states, its Events already told. */
    AwsOutcome latest(AwsOutcome last, Optional<Duration> requeueAfter) {
        return last.withoutNotes(withLatestStates(last.status().orElseGet(AwsStatus::new)), requeueAfter);
    }

    /** Whether the poller found one of the alarms the last sync made gone. */
    boolean anyAlarmMissing(AwsOutcome last) {
        return last.status()
                .map(s -> s.getAlarms().stream()
                        .anyMatch(a -> poller.state(a.getAlarmName())
                                .map(AlarmPoller.MISSING::equals)
                                .orElse(false)))
                .orElse(false);
    }

    /**
     * The outcome of a reconcile that asks AWS nothing (every permit taken, or its sync still
     * running): what is known stays as it is. A new MSD's ServiceAccount is not made yet, so its
     * Pods wait for it rather than start without their role.
     */
    AwsOutcome deferred(MicroserviceDeployment msd, Optional<AwsOutcome> last, String why) {
        if (last.isPresent()) {
            return latest(last.get(), Optional.of(BackgroundSyncs.BUSY_RETRY));
        }
        MicroserviceDeploymentStatus status = msd.getStatus();
        List<AwsOutcome.Condition> known = status == null
                ? List.of()
                : status.getConditions().stream()
                        .filter(c -> AwsOutcome.IDENTITY.equals(c.getType()) || AwsOutcome.ALARMS.equals(c.getType()))
                        .map(c -> new AwsOutcome.Condition(
                                c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()))
                        .toList();
        if (known.isEmpty()) {
            AwsSpec aws = msd.getSpec().getAws();
            List<AwsOutcome.Condition> waiting = new ArrayList<>();
            if (aws != null && aws.getIam() != null) {
                waiting.add(new AwsOutcome.Condition(AwsOutcome.IDENTITY, false, "WaitingForAws", why));
            }
            if (aws != null && aws.getAlarms() != null && !aws.getAlarms().isEmpty()) {
                waiting.add(new AwsOutcome.Condition(AwsOutcome.ALARMS, false, "WaitingForAws", why));
            }
            known = waiting;
        }
        return new AwsOutcome(
                Optional.ofNullable(status == null ? null : status.getAws()),
                known,
                Optional.empty(),
                List.of(),
                Optional.of(BackgroundSyncs.BUSY_RETRY));
    }

    private AwsStatus withLatestStates(AwsStatus previous) {
        AwsStatus status = new AwsStatus();
        status.setRoleArn(previous.getRoleArn());
        status.setRoleDeletionPolicy(previous.getRoleDeletionPolicy());
        status.setServiceAccountName(previous.getServiceAccountName());
        status.setAlarms(previous.getAlarms().stream()
                .map(a -> new AlarmStatus(
                        a.getName(),
                        a.getRevision(),
                        a.getAlarmName(),
                        poller.state(a.getAlarmName()).orElse(a.getState())))
                .toList());
        return status;
    }

    /** Nothing in AWS to look after: no spec.aws, and status remembers no role and no alarm. */
    static boolean nothingInAws(MicroserviceDeployment msd) {
        return nothingInAws(msd, msd.getStatus());
    }

    /** {@link #nothingInAws(MicroserviceDeployment)} as {@code status} (not yet written, perhaps) tells it. */
    static boolean nothingInAws(MicroserviceDeployment msd, MicroserviceDeploymentStatus status) {
        Optional<AwsStatus> aws = Optional.ofNullable(status).map(MicroserviceDeploymentStatus::getAws);
        return (msd.getSpec() == null || msd.getSpec().getAws() == null)
                && !aws.map(KnownState::hasAlarms).orElse(false)
                && aws.map(AwsStatus::getRoleArn).isEmpty();
    }

    /** Alarms made for an earlier spec must go even when spec.aws went entirely. */
    static boolean hasAlarmsInStatus(MicroserviceDeployment msd) {
        return awsStatus(msd).map(KnownState::hasAlarms).orElse(false);
    }

    static boolean hasRoleInStatus(MicroserviceDeployment msd) {
        return awsStatus(msd).map(s -> s.getRoleArn() != null).orElse(false);
    }

    private static boolean hasAlarms(AwsStatus status) {
        return !status.getAlarms().isEmpty();
    }

    /** The deletionPolicy status remembers; Retain when it does not say (never delete what may have to stay). */
    static DeletionPolicy policyInStatus(MicroserviceDeployment msd) {
        return awsStatus(msd).map(AwsStatus::getRoleDeletionPolicy).orElse(DeletionPolicy.Retain);
    }

    private static Optional<AwsStatus> awsStatus(MicroserviceDeployment msd) {
        return Optional.ofNullable(msd.getStatus()).map(MicroserviceDeploymentStatus::getAws);
    }
}
