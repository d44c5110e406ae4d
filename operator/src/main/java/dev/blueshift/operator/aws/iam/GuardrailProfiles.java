package dev.blueshift.operator.aws.iam;

import dev.blueshift.operator.config.GuardrailConfig;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which {@link Guardrails} apply to a namespace: the profile its admin-set label names, else the
 * top-level rules. A label naming no profile is refused rather than guessed at.
 */
public final class GuardrailProfiles {
    /** The rules for a namespace, or why there are none. */
    public sealed interface Resolution {}

    public record Rules(Guardrails guardrails) implements Resolution {}

    public record Refused(GuardrailRefusal refusal) implements Resolution {}

    private final String label;
    private final Guardrails defaults;
    private final Map<String, Guardrails> profiles = new TreeMap<>();
    private final Function<String, Optional<Map<String, String>>> namespaceLabels;

    /** @param namespaceLabels the labels of a namespace; empty when it cannot be read */
    public GuardrailProfiles(GuardrailConfig config, Function<String, Optional<Map<String, String>>> namespaceLabels) {
        this.label = config.namespaceLabel();
        this.defaults = Guardrails.of(Guardrails.DEFAULT_PROFILE, config.rules());
        config.profiles().forEach((name, rules) -> profiles.put(name, Guardrails.of(name, rules)));
        this.namespaceLabels = namespaceLabels;
    }

    public Resolution forNamespace(String namespace) {
        Optional<Map<String, String>> labels = namespaceLabels.apply(namespace);
        if (labels.isEmpty()) {
            // Unknown labels could name a stricter profile than the default: judge nothing rather than guess.
            return new Refused(
                    new GuardrailRefusal(
                            GuardrailRefusal.PROFILE_UNKNOWN,
                            "namespace label " + label,
                            "The operator could not read Namespace " + namespace
                                    + " to find its guardrail profile (label " + label
                                    + "); nothing was created or changed in AWS. It tries again at the next resync or change."));
        }
        String profile = labels.get().get(label);
        if (profile == null || profile.isBlank()) {
            return new Rules(defaults);
        }
        Guardrails rules = profiles.get(profile);
        if (rules == null) {
            return new Refused(
                    new GuardrailRefusal(
                            GuardrailRefusal.PROFILE_UNKNOWN,
                            "namespace label " + label,
                            "Namespace " + namespace + " is labelled " + label + "=" + profile
                                    + ", but the operator has no such guardrail"
                                    + " profile (blueshift.guardrails.profiles." + profile + ".*; known: "
                                    + profiles.keySet()
                                    + "). The cluster admin must fix the label or the settings; nothing was created or changed in AWS."));
        }
        return new Rules(rules);
    }
}
