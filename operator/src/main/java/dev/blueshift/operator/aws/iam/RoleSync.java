package dev.blueshift.operator.aws.iam;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.aws.AwsOutcome;
import dev.blueshift.operator.aws.AwsTarget;
import dev.blueshift.operator.aws.SyncReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;

/**
 * Brings an MSD's IAM role in line with its spec: creates it, adopts it when asked, corrects drift
 * with the fewest writes (none when it matches), and never writes or deletes a role it does not
 * own. AWS errors propagate to the caller, which tells terminal from recoverable.
 */
public class RoleSync {
    private final Supplier<IamRoles> roles;
    /** Once IAM has shown the OIDC provider, it is not asked again (a missing one is asked at every sync). */
    private volatile boolean oidcProviderSeen;

    public RoleSync(Supplier<IamRoles> roles) {
        this.roles = roles;
    }

    /**
     * The role's ARN when the role is this MSD's and in line with the spec; the AwsIdentity condition
     * in {@code report}. What the admin's guardrails refuse is refused before any AWS call.
     */
    public Optional<String> sync(
            MicroserviceDeployment msd,
            String serviceAccount,
            AwsTarget target,
            GuardrailProfiles.Resolution rules,
            SyncReport report) {
        if (target.oidcIssuer().isEmpty()) {
            report.condition(
                    AwsOutcome.IDENTITY,
                    false,
                    "OidcIssuerNotConfigured",
                    "The operator has no OIDC issuer (blueshift.aws.oidc-issuer), so it cannot write an IRSA trust policy.");
            return Optional.empty();
        }
        if (rules instanceof GuardrailProfiles.Refused r) {
            return refused(r.refusal(), report);
        }
        Guardrails guardrails = ((GuardrailProfiles.Rules) rules).guardrails();
        Optional<GuardrailRefusal> refusal =
                RoleGuardrails.check(msd.getSpec().getAws().getIam(), guardrails);
        if (refusal.isPresent()) {
            return refused(refusal.get(), report);
        }
        DesiredRole desired =
                RoleDerivation.desired(msd, serviceAccount, target, guardrails).orElseThrow();
        IamRoles iam = roles.get();
        Optional<ObservedRole> observed = iam.find(desired.name());
        if (observed.isEmpty()) {
            try {
                String arn = iam.create(desired);
                iam.apply(desired.name(), RolePlan.between(desired, created(desired, arn)));
                report.note(false, "RoleCreated", "Created IAM role " + arn);
                ready(arn, target, report);
                return Optional.of(arn);
            } catch (EntityAlreadyExistsException e) {
                // An earlier attempt of this very call created it (its answer was lost): look at it again.
                observed = iam.find(desired.name());
                if (observed.isEmpty()) {
                    throw e;
                }
            }
        }
        return syncExisting(msd, target, guardrails, desired, observed.get(), report);
    }

    private static Optional<String> refused(GuardrailRefusal refusal, SyncReport report) {
        report.refused();
        report.condition(AwsOutcome.IDENTITY, false, refusal.reason(), refusal.message());
        report.note(true, refusal.reason(), refusal.message());
        return Optional.empty();
    }

    /**
     * Deletes the role of MSD {@code namespace/name} when {@code policy} says Delete and the role is
     * ours; says what it did. Used when the MSD goes and when its spec.aws.iam is removed.
     */
    public String delete(String namespace, String name, DeletionPolicy policy, AwsTarget target) {
        String roleName = RoleNames.of(target.clusterName(), namespace, name);
        if (policy == DeletionPolicy.Retain) {
            return "IAM role " + roleName + " retained (deletionPolicy: Retain)";
        }
        Optional<ObservedRole> observed = roles.get().find(roleName);
        if (observed.isEmpty()) {
            return "IAM role " + roleName + " already gone";
        }
        if (RoleOwnership.judge(observed.get().tags(), target.clusterName(), namespace, name, false)
                != RoleOwnership.Verdict.OWNED) {
            return "IAM role " + roleName + " left alone: it is not owned by this MicroserviceDeployment";
        }
        roles.get().delete(roleName);
        return "IAM role " + roleName + " deleted";
    }

    private Optional<String> syncExisting(
            MicroserviceDeployment msd,
            AwsTarget target,
            Guardrails guardrails,
            DesiredRole desired,
            ObservedRole role,
            SyncReport report) {
        boolean adopt = "true"
                .equalsIgnoreCase(
                        msd.getMetadata().getAnnotations() == null
                                ? null
                                : msd.getMetadata().getAnnotations().get(RoleOwnership.ADOPT_ANNOTATION));
        RoleOwnership.Verdict verdict = RoleOwnership.judge(
                role.tags(),
                target.clusterName(),
                msd.getMetadata().getNamespace(),
                msd.getMetadata().getName(),
                adopt);
        if (verdict == RoleOwnership.Verdict.FOREIGN) {
            report.condition(
                    AwsOutcome.IDENTITY,
                    false,
                    "RoleNotOwned",
                    "IAM role " + role.arn()
                            + " exists without Blueshift's ownership tags; the operator will not modify or delete it."
                            + " Annotate the MicroserviceDeployment with " + RoleOwnership.ADOPT_ANNOTATION
                            + "=true to adopt it.");
            return Optional.empty();
        }
        if (verdict == RoleOwnership.Verdict.OTHER_OWNER) {
            report.condition(
                    AwsOutcome.IDENTITY,
                    false,
                    "RoleOwnedByAnother",
                    "IAM role " + role.arn() + " is tagged as owned by "
                            + role.tags().get(RoleOwnership.CLUSTER) + "/"
                            + role.tags().get(RoleOwnership.NAMESPACE) + "/"
                            + role.tags().get(RoleOwnership.NAME)
                            + "; the operator will not modify or delete it.");
            return Optional.empty();
        }
        if (verdict == RoleOwnership.Verdict.ADOPTABLE) {
            Optional<GuardrailRefusal> refusal = RoleGuardrails.adoption(role.arn(), pathOf(role.arn()), guardrails);
            if (refusal.isPresent()) {
                return refused(refusal.get(), report);
            }
        }
        List<RoleChange> changes = RolePlan.between(desired, role);
        roles.get().apply(desired.name(), changes);
        if (verdict == RoleOwnership.Verdict.ADOPTABLE) {
            report.note(false, "RoleAdopted", "Adopted IAM role " + role.arn() + " (" + changes.size() + " change(s))");
        } else if (!changes.isEmpty()) {
            report.note(
                    true,
                    "RoleDriftCorrected",
                    "IAM role " + role.arn() + " differed from the spec: "
                            + changes.stream()
                                    .map(c -> c.getClass().getSimpleName())
                                    .collect(Collectors.joining(", ")));
        }
        ready(role.arn(), target, report);
        return Optional.of(role.arn());
    }

    /** Ready, unless the cluster's OIDC provider is missing in IAM: then no Pod could assume the role. */
    private void ready(String arn, AwsTarget target, SyncReport report) {
        String provider = target.oidcProviderArn().orElseThrow();
        if (!oidcProviderSeen) {
            oidcProviderSeen = roles.get().oidcProviderExists(provider);
        }
        if (oidcProviderSeen) {
            report.condition(AwsOutcome.IDENTITY, true, "RoleReady", "IAM role " + arn + " matches the spec.");
        } else {
            report.condition(
                    AwsOutcome.IDENTITY,
                    false,
                    "OidcProviderMissing",
                    "IAM role " + arn + " matches the spec, but IAM has no"
                            + " OIDC provider " + provider
                            + ", so Pods cannot assume it. Create it for the cluster's issuer"
                            + " (e.g. eksctl utils associate-iam-oidc-provider).");
        }
    }

    /** The path of a role ARN (arn:PARTITION:iam::ACCOUNT:role/PATH/NAME). */
    static String pathOf(String roleArn) {
        String resource = roleArn.substring(roleArn.indexOf(":role") + ":role".length());
        return resource.substring(0, resource.lastIndexOf('/') + 1);
    }

    /** The role as CreateRole just made it: trust policy, tags and settings, no policies yet. */
    private static ObservedRole created(DesiredRole desired, String arn) {
        return new ObservedRole(
                desired.name(),
                arn,
                desired.trustPolicy(),
                Map.of(),
                Set.of(),
                desired.permissionsBoundary(),
                desired.maxSessionDuration(),
                desired.tags());
    }
}
