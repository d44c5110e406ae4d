package dev.blueshift.operator.aws.iam;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/** {@link IamRoles} on the AWS SDK's IAM client. */
public class SdkIamRoles implements IamRoles {
    private final IamClient iam;

    public SdkIamRoles(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public Optional<ObservedRole> find(String roleName) {
        Role role;
        try {
            role = iam.getRole(r -> r.roleName(roleName)).role();
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
        Map<String, String> inline = new LinkedHashMap<>();
        for (String policyName :
                iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames()) {
            inline.put(
                    policyName,
                    PolicyDocuments.decoded(
                            iam.getRolePolicy(r -> r.roleName(roleName).policyName(policyName))
                                    .policyDocument()));
        }
        Set<String> managed = new TreeSet<>();
        iam.listAttachedRolePoliciesPaginator(r -> r.roleName(roleName)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn)
                .forEach(managed::add);
        Map<String, String> tags = new HashMap<>();
        role.tags().forEach(t -> tags.put(t.key(), t.value()));
        return Optional.of(new ObservedRole(
                role.roleName(),
                role.arn(),
                PolicyDocuments.decoded(role.assumeRolePolicyDocument()),
                inline,
                managed,
                Optional.ofNullable(role.permissionsBoundary()).map(b -> b.permissionsBoundaryArn()),
                role.maxSessionDuration() == null ? 3600 : role.maxSessionDuration(),
                tags));
    }

    @Override
    public String create(DesiredRole role) {
        return iam.createRole(r -> {
                    r.roleName(role.name())
                            .path(role.path())
                            .assumeRolePolicyDocument(role.trustPolicy())
                            .description(role.description())
                            .maxSessionDuration(role.maxSessionDuration())
                            .tags(tags(role.tags()));
                    role.permissionsBoundary().ifPresent(r::permissionsBoundary);
                })
                .role()
                .arn();
    }

    @Override
    public void apply(String roleName, List<RoleChange> changes) {
        for (RoleChange change : changes) {
            if (change instanceof RoleChange.UpdateTrustPolicy c) {
                iam.updateAssumeRolePolicy(r -> r.roleName(roleName).policyDocument(c.document()));
            } else if (change instanceof RoleChange.UpdateMaxSessionDuration c) {
                iam.updateRole(r -> r.roleName(roleName).maxSessionDuration(c.seconds()));
            } else if (change instanceof RoleChange.PutPermissionsBoundary c) {
                iam.putRolePermissionsBoundary(r -> r.roleName(roleName).permissionsBoundary(c.policyArn()));
            } else if (change instanceof RoleChange.Tag c) {
                iam.tagRole(r -> r.roleName(roleName).tags(tags(c.tags())));
            } else if (change instanceof RoleChange.PutInlinePolicy c) {
                iam.putRolePolicy(
                        r -> r.roleName(roleName).policyName(c.policyName()).policyDocument(c.document()));
            } else if (change instanceof RoleChange.DeleteInlinePolicy c) {
                iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(c.policyName()));
            } else if (change instanceof RoleChange.AttachPolicy c) {
                iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(c.policyArn()));
            } else if (change instanceof RoleChange.DetachPolicy c) {
                iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(c.policyArn()));
            }
        }
    }

    @Override
    public boolean oidcProviderExists(String providerArn) {
        try {
            iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(providerArn));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    @Override
    public void delete(String roleName) {
        try {
            for (AttachedPolicy policy : iam.listAttachedRolePoliciesPaginator(r -> r.roleName(roleName))
                    .attachedPolicies()) {
                iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(policy.policyArn()));
            }
            for (String policyName :
                    iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames()) {
                iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName));
            }
            iam.deleteRole(r -> r.roleName(roleName));
        } catch (NoSuchEntityException e) {
            // Already gone: what deletion wanted.
        }
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
