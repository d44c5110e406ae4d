package dev.blueshift.operator.aws.iam;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A role as IAM reports it, its policy documents already URL-decoded. */
public record ObservedRole(
        String name,
        String arn,
        String trustPolicy,
        Map<String, String> inlinePolicies,
        Set<String> managedPolicyArns,
        Optional<String> permissionsBoundary,
        int maxSessionDuration,
        Map<String, String> tags) {}
