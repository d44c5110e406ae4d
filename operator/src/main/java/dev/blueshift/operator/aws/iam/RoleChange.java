package dev.blueshift.operator.aws.iam;

import java.util.Map;

/** One write that brings an existing role in line with its MSD. */
public sealed interface RoleChange {
    record UpdateTrustPolicy(String document) implements RoleChange {}

    record UpdateMaxSessionDuration(int seconds) implements RoleChange {}

    record PutPermissionsBoundary(String policyArn) implements RoleChange {}

    record Tag(Map<String, String> tags) implements RoleChange {}

    record PutInlinePolicy(String policyName, String document) implements RoleChange {}

    record DeleteInlinePolicy(String policyName) implements RoleChange {}

    record AttachPolicy(String policyArn) implements RoleChange {}

    record DetachPolicy(String policyArn) implements RoleChange {}
}
