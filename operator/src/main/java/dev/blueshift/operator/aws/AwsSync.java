package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AwsSpec;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.aws.cloudwatch.AlarmSync;
import dev.blueshift.operator.kube.WorkloadIdentity;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One pass over AWS for one MSD: its identity ({@link IdentitySync}), then the alarms of its live
 * revisions ({@link AlarmSync}); a failure of one does not stop the other. And the deletion of
 * both when the MSD goes.
 */
public final class AwsSync {
    /** @param recoverableFailure an AWS call failed and a retry (with backoff) may help */
    record Result(AwsOutcome outcome, boolean recoverableFailure) {}

    private final Supplier<AwsTarget> target;
    private final IdentitySync identity;
    private final AlarmSync alarms;

    public AwsSync(Supplier<AwsTarget> target, IdentitySync identity, AlarmSync alarms) {
        this.target = target;
        this.identity = identity;
        this.alarms = alarms;
    }

    /** @param mayHaveAlarms false when CloudWatch need not be asked unless the spec wants alarms */
    Result run(MicroserviceDeployment msd, Set<String> revisions, boolean mayHaveAlarms) {
        AwsSpec aws = Optional.ofNullable(msd.getSpec().getAws()).orElseGet(AwsSpec::new);
        AwsStatus previous = msd.getStatus() == null || msd.getStatus().getAws() == null
                ? new AwsStatus()
                : msd.getStatus().getAws();
        Optional<String> serviceAccount = WorkloadIdentity.serviceAccountName(msd);
        AwsStatus status = new AwsStatus();
        status.setServiceAccountName(serviceAccount.orElse(null));
        status.setRoleArn(previous.getRoleArn());
        status.setRoleDeletionPolicy(previous.getRoleDeletionPolicy());
        status.setAlarms(previous.getAlarms());
        SyncReport report = new SyncReport();
        String alarmsCondition = aws.getAlarms() != null ? AwsOutcome.ALARMS : null;
        boolean recoverable = false;
        AwsTarget t;
        try {
            t = target.get();
        } catch (SdkException | IllegalStateException e) {
            recoverable |= report.failed(aws.getIam() != null ? AwsOutcome.IDENTITY : null, e);
            recoverable |= report.failed(alarmsCondition, e);
            return new Result(outcome(msd, status, serviceAccount, report), recoverable);
        }
        recoverable |= identity.sync(msd, serviceAccount, t, status, report);
        try {
            status.setAlarms(alarms.sync(msd, revisions, t, mayHaveAlarms, report));
        } catch (SdkException e) {
            recoverable |= report.failed(alarmsCondition, e);
        }
        return new Result(outcome(msd, status, serviceAccount, report), recoverable);
    }

    /**
     * Deletes the MSD's alarms, and its role unless {@code deletionPolicy: Retain}; says what was done.
     *
     * @throws SdkException when AWS failed
     * @throws IllegalStateException when the account could not be found
     */
    String deleteAll(MicroserviceDeployment msd) {
        AwsTarget t = target.get();
        int deleted = alarms.deleteAll(msd, t);
        return deleted + " alarm(s) deleted; " + identity.delete(msd, t);
    }

    private static AwsOutcome outcome(
            MicroserviceDeployment msd, AwsStatus status, Optional<String> serviceAccount, SyncReport report) {
        return new AwsOutcome(
                Optional.of(status),
                report.conditions(),
                IdentitySync.serviceAccount(msd, serviceAccount, status),
                report.notes(),
                Optional.empty());
    }
}
