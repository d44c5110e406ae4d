package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.IamRoleSpec;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.aws.iam.GuardrailProfiles;
import dev.blueshift.operator.aws.iam.IamRoles;
import dev.blueshift.operator.aws.iam.RoleSync;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An MSD's workload identity: its IAM role ({@link RoleSync}, within the admin's guardrails) and
 * the ServiceAccount its Pods run as, annotated with the role.
 */
public final class IdentitySync {
    private final RoleSync roles;
    private final Function<String, GuardrailProfiles.Resolution> guardrails;

    /** @param guardrails the admin's IAM rules for a namespace */
    public IdentitySync(Supplier<IamRoles> roles, Function<String, GuardrailProfiles.Resolution> guardrails) {
        this.roles = new RoleSync(roles);
        this.guardrails = guardrails;
    }

    /**
     * Brings the role in line with spec.aws.iam, or deletes it when spec.aws.iam was removed (as its
     * deletionPolicy said while it was there); records the role in {@code status}.
     *
     * @return true when an AWS call failed and a retry may help
     */
    boolean sync(
            MicroserviceDeployment msd,
            Optional<String> serviceAccount,
            AwsTarget target,
            AwsStatus status,
            SyncReport report) {
        IamRoleSpec iam = iam(msd);
        try {
            if (iam != null) {
                Optional<String> arn = roles.sync(
                        msd,
                        serviceAccount.orElseThrow(),
                        target,
                        guardrails.apply(msd.getMetadata().getNamespace()),
                        report);
                if (!report.wasRefused()) {
                    // A refused spec keeps what status knows of a role made earlier: it still has to go some day.
                    status.setRoleArn(arn.orElse(null));
                    status.setRoleDeletionPolicy(
                            arn.map(a -> iam.getDeletionPolicy()).orElse(null));
                }
            } else if (status.getRoleArn() != null) {
                String done = delete(msd, target);
                report.note(false, "RoleRemoved", "spec.aws.iam was removed: " + done);
                status.setRoleArn(null);
                status.setRoleDeletionPolicy(null);
            }
            return false;
        } catch (SdkException e) {
            return report.failed(AwsOutcome.IDENTITY, e);
        }
    }

    /** Deletes the role (policies first) unless its deletionPolicy, from the spec or else from status, is Retain. */
    String delete(MicroserviceDeployment msd, AwsTarget target) {
        IamRoleSpec iam = iam(msd);
        if (iam == null && !KnownState.hasRoleInStatus(msd)) {
            return "no IAM role";
        }
        return roles.delete(
                msd.getMetadata().getNamespace(),
                msd.getMetadata().getName(),
                iam != null ? iam.getDeletionPolicy() : KnownState.policyInStatus(msd),
                target);
    }

    /**
     * The ServiceAccount to apply, annotated with the role. None while the MSD's role is not there
     * yet: it would let Pods start without it (the AWS SDK then falls back to the node's role), so
     * they wait for it.
     */
    static Optional<ServiceAccount> serviceAccount(
            MicroserviceDeployment msd, Optional<String> name, AwsStatus status) {
        IamRoleSpec iam = iam(msd);
        boolean sts = iam != null && !Boolean.FALSE.equals(iam.getStsRegionalEndpoints());
        boolean roleMissing = iam != null && status.getRoleArn() == null;
        return name.filter(sa -> !roleMissing)
                .map(sa -> WorkloadServiceAccountBuilder.build(msd, sa, Optional.ofNullable(status.getRoleArn()), sts));
    }

    private static IamRoleSpec iam(MicroserviceDeployment msd) {
        return msd.getSpec() == null || msd.getSpec().getAws() == null
                ? null
                : msd.getSpec().getAws().getIam();
    }
}
