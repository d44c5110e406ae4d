package dev.blueshift.operator.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.support.aws.TestGuardrails;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardrailProfilesTest {
    static final Map<String, String> SETTINGS = Map.of(
            "permissions-boundary", "arn:aws:iam::123456789012:policy/default-boundary",
            "profiles.platform.denied-managed-policies", "none",
            "profiles.platform.permissions-boundary", "arn:aws:iam::123456789012:policy/platform-boundary",
            "profiles.platform.allow-role-adoption", "true");

    @Test
    void aNamespaceWithoutTheLabelGetsTheTopLevelRules() {
        GuardrailProfiles.Resolution r =
                TestGuardrails.profiles(SETTINGS, Map.of("team", "a")).forNamespace("shop");

        assertThat(r).isInstanceOfSatisfying(GuardrailProfiles.Rules.class, rules -> {
            assertThat(rules.guardrails().profile()).isEqualTo("default");
            assertThat(rules.guardrails().permissionsBoundary())
                    .contains("arn:aws:iam::123456789012:policy/default-boundary");
            assertThat(rules.guardrails().allowRoleAdoption()).isFalse();
        });
    }

    @Test
    void aLabelledNamespaceGetsItsProfileWhoseUnsetKeysKeepTheDefaults() {
        GuardrailProfiles.Resolution r = TestGuardrails.profiles(
                        SETTINGS, Map.of("blueshift.dev/guardrails", "platform"))
                .forNamespace("platform-tools");

        assertThat(r).isInstanceOfSatisfying(GuardrailProfiles.Rules.class, rules -> {
            Guardrails g = rules.guardrails();
            assertThat(g.profile()).isEqualTo("platform");
            assertThat(g.deniedManagedPolicies()).isEmpty();
            assertThat(g.permissionsBoundary()).contains("arn:aws:iam::123456789012:policy/platform-boundary");
            assertThat(g.allowRoleAdoption()).isTrue();
            assertThat(g.deniedInlineActions()).containsExactly("iam:*", "organizations:*", "account:*");
            assertThat(g.rolePath()).isEqualTo("/blueshift/");
            assertThat(g.settingsPrefix()).isEqualTo("blueshift.guardrails.profiles.platform.");
        });
    }

    @Test
    void aLabelNamingNoProfileOrANamespaceThatCannotBeReadIsRefusedNotGuessed() {
        GuardrailProfiles.Resolution unknown = TestGuardrails.profiles(
                        SETTINGS, Map.of("blueshift.dev/guardrails", "platfrom"))
                .forNamespace("x");
        assertThat(unknown).isInstanceOfSatisfying(GuardrailProfiles.Refused.class, r -> {
            assertThat(r.refusal().reason()).isEqualTo("GuardrailProfileUnknown");
            assertThat(r.refusal().message()).contains("platfrom", "[platform]");
        });

        GuardrailProfiles unreadable = new GuardrailProfiles(TestGuardrails.config(SETTINGS), ns -> Optional.empty());
        assertThat(unreadable.forNamespace("x")).isInstanceOf(GuardrailProfiles.Refused.class);
    }
}
