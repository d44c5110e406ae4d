package dev.blueshift.operator.aws.iam;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blueshift.operator.api.v1alpha1.spec.aws.IamRoleSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges what an MSD's spec.aws.iam asks for against the admin's {@link Guardrails}, before any
 * AWS call: a refused spec creates and changes nothing. Also says which boundary and path the role
 * gets. Pure.
 */
public final class RoleGuardrails {
    private static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private RoleGuardrails() {}

    public static Optional<GuardrailRefusal> check(IamRoleSpec spec, Guardrails rules) {
        return managedPolicies(spec, rules)
                .or(() -> boundaryReplacement(spec, rules))
                .or(() -> inlinePolicy(spec, rules));
    }

    /** The role's permissions boundary: the admin's when set (the MSD cannot replace it), else the MSD's own. */
    public static Optional<String> boundary(IamRoleSpec spec, Guardrails rules) {
        return rules.permissionsBoundary().or(() -> Optional.ofNullable(spec.getPermissionsBoundary()));
    }

    /** The role's path: the MSD's path below the admin's (kept as it is when it already is below). */
    public static String path(IamRoleSpec spec, Guardrails rules) {
        String own = spec.getPath() == null || spec.getPath().isBlank() ? "/" : spec.getPath();
        return own.startsWith(rules.rolePath()) ? own : rules.rolePath() + own.substring(1);
    }

    /** Whether a role found under {@code path} may be adopted under these rules. */
    public static Optional<GuardrailRefusal> adoption(String roleArn, String path, Guardrails rules) {
        if (!rules.allowRoleAdoption()) {
            return Optional.of(new GuardrailRefusal(
                    GuardrailRefusal.ADOPTION_NOT_ALLOWED,
                    "metadata.annotations[" + RoleOwnership.ADOPT_ANNOTATION + "]",
                    "IAM role " + roleArn
                            + " exists without Blueshift's ownership tags, and the cluster admin does not allow adopting"
                            + " roles (" + rules.settingsPrefix()
                            + "allow-role-adoption); the operator will not modify or delete it."));
        }
        if (!path.startsWith(rules.rolePath())) {
            return Optional.of(new GuardrailRefusal(
                    GuardrailRefusal.ADOPTION_NOT_ALLOWED,
                    "metadata.annotations[" + RoleOwnership.ADOPT_ANNOTATION + "]",
                    "IAM role " + roleArn + " is outside the path " + rules.rolePath()
                            + " the cluster admin gives Blueshift's roles (" + rules.settingsPrefix()
                            + "role-path); it is not adopted."));
        }
        return Optional.empty();
    }

    private static Optional<GuardrailRefusal> managedPolicies(IamRoleSpec spec, Guardrails rules) {
        if (spec.getManagedPolicyArns() == null) {
            return Optional.empty();
        }
        for (String arn : spec.getManagedPolicyArns()) {
            boolean named =
                    rules.allowedManagedPolicies().stream().anyMatch(p -> !Wildcards.hasWildcard(p) && p.equals(arn));
            boolean allowed = rules.allowedManagedPolicies().stream().anyMatch(p -> Wildcards.matches(p, arn, false));
            boolean denied = rules.deniedManagedPolicies().stream().anyMatch(p -> Wildcards.matches(p, arn, false));
            if (!named && (!allowed || denied)) {
                String rule = denied
                        ? "it is admin-class (" + rules.settingsPrefix() + "denied-managed-policies)"
                        : "it matches none of " + rules.settingsPrefix() + "allowed-managed-policies "
                                + rules.allowedManagedPolicies();
                return Optional.of(new GuardrailRefusal(
                        GuardrailRefusal.POLICY_NOT_ALLOWED,
                        "spec.aws.iam.managedPolicyArns",
                        "spec.aws.iam.managedPolicyArns: " + arn + " is not allowed by the cluster admin: " + rule
                                + ". Nothing was created or changed in AWS."));
            }
        }
        return Optional.empty();
    }

    private static Optional<GuardrailRefusal> boundaryReplacement(IamRoleSpec spec, Guardrails rules) {
        String own = spec.getPermissionsBoundary();
        if (own != null
                && rules.permissionsBoundary().isPresent()
                && !own.equals(rules.permissionsBoundary().get())) {
            return Optional.of(new GuardrailRefusal(
                    GuardrailRefusal.BOUNDARY_NOT_ALLOWED,
                    "spec.aws.iam.permissionsBoundary",
                    "spec.aws.iam.permissionsBoundary: " + own + " cannot replace the boundary "
                            + rules.permissionsBoundary().get()
                            + " the cluster admin puts on every role (" + rules.settingsPrefix()
                            + "permissions-boundary); remove the field."
                            + " Nothing was created or changed in AWS."));
        }
        return Optional.empty();
    }

    private static Optional<GuardrailRefusal> inlinePolicy(IamRoleSpec spec, Guardrails rules) {
        String document = spec.getInlinePolicy();
        if (document == null || document.isBlank()) {
            return Optional.empty();
        }
        JsonNode parsed;
        try {
            parsed = STRICT_JSON.readTree(document);
        } catch (IOException e) {
            // Unreadable here means unjudged: IAM's reading of it might grant anything (duplicate keys included).
            return inlineRefusal("it is not a JSON policy document without duplicate keys");
        }
        if (parsed == null || !parsed.isObject()) {
            return inlineRefusal("it is not a JSON policy document");
        }
        for (JsonNode statement : elements(parsed.path("Statement"))) {
            if ("Deny".equalsIgnoreCase(statement.path("Effect").asText())) {
                continue; // Deny only narrows; anything else is judged as an Allow
            }
            if (statement.has("NotAction")) {
                return inlineRefusal("an Allow statement with NotAction grants every action it does not list");
            }
            boolean anyResource = statement.has("NotResource")
                    || texts(statement.path("Resource")).stream().anyMatch(Wildcards::hasWildcard);
            for (String action : texts(statement.path("Action"))) {
                for (String denied : rules.deniedInlineActions()) {
                    if (Wildcards.overlap(action, denied, true)) {
                        return inlineRefusal("Action \"" + action + "\" grants " + denied + " ("
                                + rules.settingsPrefix() + "denied-inline-actions)");
                    }
                }
                for (String denied : rules.deniedInlineActionsOnAnyResource()) {
                    if (anyResource && Wildcards.overlap(action, denied, true)) {
                        return inlineRefusal("Action \"" + action + "\" grants " + denied
                                + " on a wildcard resource; name the resources (" + rules.settingsPrefix()
                                + "denied-inline-actions-on-any-resource)");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<GuardrailRefusal> inlineRefusal(String why) {
        return Optional.of(new GuardrailRefusal(
                GuardrailRefusal.INLINE_POLICY_NOT_ALLOWED,
                "spec.aws.iam.inlinePolicy",
                "spec.aws.iam.inlinePolicy is not allowed by the cluster admin: " + why
                        + ". Nothing was created or changed in AWS."));
    }

    private static List<JsonNode> elements(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(list::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            list.add(node);
        }
        return list;
    }

    private static List<String> texts(JsonNode node) {
        return elements(node).stream().map(JsonNode::asText).toList();
    }
}
