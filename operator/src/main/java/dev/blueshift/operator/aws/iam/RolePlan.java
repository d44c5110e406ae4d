package dev.blueshift.operator.aws.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The writes that turn an observed role into the desired one, and nothing else: a role that
 * already matches (semantically, for policy documents) yields no change at all. Pure.
 */
public final class RolePlan {
    private RolePlan() {}

    public static List<RoleChange> between(DesiredRole desired, ObservedRole observed) {
        List<RoleChange> changes = new ArrayList<>();
        if (!PolicyDocuments.equivalent(desired.trustPolicy(), observed.trustPolicy())) {
            changes.add(new RoleChange.UpdateTrustPolicy(desired.trustPolicy()));
        }
        if (desired.maxSessionDuration() != observed.maxSessionDuration()) {
            changes.add(new RoleChange.UpdateMaxSessionDuration(desired.maxSessionDuration()));
        }
        // A boundary only narrows what a role can do, so one is never removed: not one an admin put
        // on by hand, not one an MSD no longer names. A desired boundary replaces another one.
        desired.permissionsBoundary()
                .filter(b -> !observed.permissionsBoundary().equals(Optional.of(b)))
                .ifPresent(b -> changes.add(new RoleChange.PutPermissionsBoundary(b)));
        Map<String, String> missingTags = new TreeMap<>();
        desired.tags().forEach((k, v) -> {
            if (!Objects.equals(observed.tags().get(k), v)) {
                missingTags.put(k, v);
            }
        });
        if (!missingTags.isEmpty()) {
            changes.add(new RoleChange.Tag(missingTags));
        }
        // Inline policies: ours in line with the spec; any other one was put behind our back.
        desired.inlinePolicy().ifPresent(document -> {
            String current = observed.inlinePolicies().get(DesiredRole.INLINE_POLICY_NAME);
            if (current == null || !PolicyDocuments.equivalent(document, current)) {
                changes.add(new RoleChange.PutInlinePolicy(DesiredRole.INLINE_POLICY_NAME, document));
            }
        });
        new TreeMap<>(observed.inlinePolicies())
                .keySet().stream()
                        .filter(name ->
                                !(desired.inlinePolicy().isPresent() && name.equals(DesiredRole.INLINE_POLICY_NAME)))
                        .forEach(name -> changes.add(new RoleChange.DeleteInlinePolicy(name)));
        desired.managedPolicyArns().stream()
                .sorted()
                .filter(arn -> !observed.managedPolicyArns().contains(arn))
                .forEach(arn -> changes.add(new RoleChange.AttachPolicy(arn)));
        observed.managedPolicyArns().stream()
                .sorted()
                .filter(arn -> !desired.managedPolicyArns().contains(arn))
                .forEach(arn -> changes.add(new RoleChange.DetachPolicy(arn)));
        return changes;
    }
}
