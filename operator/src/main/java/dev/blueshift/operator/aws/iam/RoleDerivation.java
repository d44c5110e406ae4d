package dev.blueshift.operator.aws.iam;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.IamRoleSpec;
import dev.blueshift.operator.aws.AwsTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The role an MSD should have: name, trust policy for its ServiceAccount, policies and tags. Pure. */
public final class RoleDerivation {
    private RoleDerivation() {}

    /**
     * Empty when the MSD asks for no role. Needs the cluster's OIDC issuer (checked by the caller).
     * The admin's guardrails give the path the role lives under and its permissions boundary.
     */
    public static Optional<DesiredRole> desired(
            MicroserviceDeployment msd, String serviceAccount, AwsTarget target, Guardrails guardrails) {
        if (msd.getSpec().getAws() == null || msd.getSpec().getAws().getIam() == null) {
            return Optional.empty();
        }
        IamRoleSpec iam = msd.getSpec().getAws().getIam();
        String namespace = msd.getMetadata().getNamespace();
        String name = msd.getMetadata().getName();
        String roleName = RoleNames.of(target.clusterName(), namespace, name);
        String path = RoleGuardrails.path(iam, guardrails);
        Map<String, String> tags = new LinkedHashMap<>();
        if (iam.getTags() != null) {
            tags.putAll(iam.getTags());
        }
        tags.putAll(RoleOwnership.tags(target.clusterName(), namespace, name));
        String issuer =
                target.issuerHostPath().orElseThrow(() -> new IllegalStateException("no OIDC issuer configured"));
        return Optional.of(new DesiredRole(
                roleName,
                path,
                "arn:" + target.partition() + ":iam::" + target.accountId() + ":role" + path + roleName,
                TrustPolicy.irsa(target.partition(), target.accountId(), issuer, namespace, serviceAccount),
                Optional.ofNullable(iam.getInlinePolicy()).filter(s -> !s.isBlank()),
                iam.getManagedPolicyArns() == null ? Set.of() : new TreeSet<>(iam.getManagedPolicyArns()),
                RoleGuardrails.boundary(iam, guardrails),
                iam.getMaxSessionDuration() == null ? 3600 : iam.getMaxSessionDuration(),
                tags,
                "Workload role of MicroserviceDeployment " + namespace + "/" + name + " (cluster "
                        + target.clusterName() + "), managed by Blueshift"));
    }
}
