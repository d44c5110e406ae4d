package dev.blueshift.operator.aws.iam;

import java.util.List;
import java.util.Optional;

/** IAM roles, as the operator needs them. {@link SdkIamRoles} is the AWS SDK implementation. */
public interface IamRoles {
    /** The role and its policies, or empty when no role has that name. */
    Optional<ObservedRole> find(String roleName);

    /** Creates the role with its trust policy, tags and settings (policies come as changes after). */
    String create(DesiredRole role);

    /** Applies {@code changes} to an existing role, in order. */
    void apply(String roleName, List<RoleChange> changes);

    /** Whether IAM knows the cluster's OIDC provider, without which no Pod can assume an IRSA role. */
    boolean oidcProviderExists(String providerArn);

    /** Detaches and deletes every policy of the role, then deletes it. A missing role is no error. */
    void delete(String roleName);
}
