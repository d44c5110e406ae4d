package dev.blueshift.operator.aws.iam;

import dev.blueshift.operator.config.GuardrailConfig;
import java.util.List;
import java.util.Optional;

/**
 * The IAM rules that apply to one namespace's MSDs, as the cluster admin set them (see
 * {@link GuardrailConfig}). {@code profile} names where they came from, for messages.
 */
public record Guardrails(
        String profile,
        List<String> allowedManagedPolicies,
        List<String> deniedManagedPolicies,
        Optional<String> permissionsBoundary,
        List<String> deniedInlineActions,
        List<String> deniedInlineActionsOnAnyResource,
        String rolePath,
        boolean allowRoleAdoption) {
    public static final String DEFAULT_PROFILE = "default";

    public static Guardrails of(String profile, GuardrailConfig.Rules rules) {
        return new Guardrails(
                profile,
                list(rules.allowedManagedPolicies()),
                list(rules.deniedManagedPolicies()),
                rules.permissionsBoundary().filter(b -> !b.isBlank()),
                list(rules.deniedInlineActions()),
                list(rules.deniedInlineActionsOnAnyResource()),
                normalisedPath(rules.rolePath()),
                rules.allowRoleAdoption());
    }

    /** The settings' key prefix of this profile's rules, for messages that tell the admin what to change. */
    public String settingsPrefix() {
        return DEFAULT_PROFILE.equals(profile)
                ? "blueshift.guardrails."
                : "blueshift.guardrails.profiles." + profile + ".";
    }

    /** A list setting of just "none" is the empty list (an empty value would fall back to the default). */
    private static List<String> list(List<String> values) {
        return values.size() == 1 && "none".equalsIgnoreCase(values.get(0).trim())
                ? List.of()
                : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static String normalisedPath(String path) {
        String p = path == null || path.isBlank() ? "/" : path.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        return p.endsWith("/") ? p : p + "/";
    }
}
