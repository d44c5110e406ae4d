package dev.blueshift.operator.aws.iam;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The role an MSD should have, derived from its spec. */
public record DesiredRole(
        String name,
        String path,
        String arn,
        String trustPolicy,
        Optional<String> inlinePolicy,
        Set<String> managedPolicyArns,
        Optional<String> permissionsBoundary,
        int maxSessionDuration,
        Map<String, String> tags,
        String description) {
    /** The name of the one inline policy the operator manages on the role. */
    public static final String INLINE_POLICY_NAME = "blueshift-inline";
}
