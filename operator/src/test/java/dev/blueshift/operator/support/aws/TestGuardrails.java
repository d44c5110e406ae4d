package dev.blueshift.operator.support.aws;

import dev.blueshift.operator.aws.iam.GuardrailProfiles;
import dev.blueshift.operator.aws.iam.Guardrails;
import dev.blueshift.operator.config.GuardrailConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;

/** The admin's guardrails as the operator reads them from its settings, for tests without Quarkus. */
public final class TestGuardrails {
    private TestGuardrails() {}

    /** {@code blueshift.guardrails.*} read from {@code settings} (keys without the prefix), defaults for the rest. */
    public static GuardrailConfig config(Map<String, String> settings) {
        Map<String, String> prefixed = new java.util.HashMap<>();
        settings.forEach((k, v) -> prefixed.put("blueshift.guardrails." + k, v));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GuardrailConfig.class)
                .withSources(new PropertiesConfigSource(prefixed, "test", 100))
                .build();
        return config.getConfigMapping(GuardrailConfig.class);
    }

    /** The top-level rules of {@code settings}. */
    public static Guardrails rules(Map<String, String> settings) {
        return Guardrails.of(Guardrails.DEFAULT_PROFILE, config(settings).rules());
    }

    /** What a namespace without a profile label gets from an operator with default settings. */
    public static GuardrailProfiles.Resolution defaults() {
        return new GuardrailProfiles.Rules(rules(Map.of()));
    }

    public static GuardrailProfiles profiles(Map<String, String> settings, Map<String, String> namespaceLabels) {
        return new GuardrailProfiles(config(settings), namespace -> Optional.of(namespaceLabels));
    }
}
