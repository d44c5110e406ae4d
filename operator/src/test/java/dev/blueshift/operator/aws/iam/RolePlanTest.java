package dev.blueshift.operator.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolePlanTest {
    static final String TRUST = TrustPolicy.irsa("aws", "123456789012", "oidc.example/id/X", "shop", "cart");
    static final String INLINE =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
    static final Map<String, String> TAGS = Map.of("blueshift.dev/managed-by", "blueshift", "team", "payments");

    final DesiredRole desired = new DesiredRole(
            "bs-shop-cart-x",
            "/",
            "arn:aws:iam::123456789012:role/bs-shop-cart-x",
            TRUST,
            Optional.of(INLINE),
            Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Optional.empty(),
            3600,
            TAGS,
            "d");

    ObservedRole inLine() {
        return new ObservedRole(
                "bs-shop-cart-x",
                desired.arn(),
                URLEncoder.encode(TRUST, StandardCharsets.UTF_8),
                Map.of(DesiredRole.INLINE_POLICY_NAME, INLINE),
                Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                Optional.empty(),
                3600,
                Map.of("blueshift.dev/managed-by", "blueshift", "team", "payments", "added-by-someone", "x"));
    }

    @Test
    void aRoleInLineWithTheSpecNeedsNoWrite() {
        assertThat(RolePlan.between(desired, inLine())).isEmpty();
    }

    @Test
    void policiesAttachedOrRemovedBehindOurBackAreCorrected() {
        ObservedRole drifted = new ObservedRole(
                desired.name(),
                desired.arn(),
                TRUST,
                Map.of("added-by-hand", "{}"),
                Set.of("arn:aws:iam::aws:policy/AdministratorAccess"),
                Optional.empty(),
                3600,
                TAGS);

        assertThat(RolePlan.between(desired, drifted))
                .containsExactly(
                        new RoleChange.PutInlinePolicy(DesiredRole.INLINE_POLICY_NAME, INLINE),
                        new RoleChange.DeleteInlinePolicy("added-by-hand"),
                        new RoleChange.AttachPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                        new RoleChange.DetachPolicy("arn:aws:iam::aws:policy/AdministratorAccess"));
    }

    @Test
    void aChangedTrustPolicySessionAndTagAreWrittenAndABoundaryIsNeverRemoved() {
        ObservedRole drifted = new ObservedRole(
                desired.name(),
                desired.arn(),
                TRUST.replace("shop:cart", "shop:other"),
                Map.of(DesiredRole.INLINE_POLICY_NAME, INLINE),
                desired.managedPolicyArns(),
                Optional.of("arn:aws:iam::123456789012:policy/b"),
                7200,
                Map.of("blueshift.dev/managed-by", "blueshift", "team", "search"));

        assertThat(RolePlan.between(desired, drifted))
                .containsExactly(
                        new RoleChange.UpdateTrustPolicy(TRUST),
                        new RoleChange.UpdateMaxSessionDuration(3600),
                        new RoleChange.Tag(Map.of("team", "payments")));
    }

    @Test
    void theAdminsBoundaryReplacesAnotherOneAndIsPutOnARoleWithout() {
        String admins = "arn:aws:iam::123456789012:policy/workload-boundary";
        DesiredRole bounded = new DesiredRole(
                desired.name(),
                "/",
                desired.arn(),
                TRUST,
                desired.inlinePolicy(),
                desired.managedPolicyArns(),
                Optional.of(admins),
                3600,
                TAGS,
                "d");

        assertThat(RolePlan.between(bounded, inLine())).containsExactly(new RoleChange.PutPermissionsBoundary(admins));
        ObservedRole other = new ObservedRole(
                desired.name(),
                desired.arn(),
                TRUST,
                Map.of(DesiredRole.INLINE_POLICY_NAME, INLINE),
                desired.managedPolicyArns(),
                Optional.of("arn:aws:iam::123456789012:policy/wider"),
                3600,
                TAGS);
        assertThat(RolePlan.between(bounded, other)).containsExactly(new RoleChange.PutPermissionsBoundary(admins));
    }

    @Test
    void noInlinePolicyInTheSpecRemovesOurs() {
        DesiredRole without = new DesiredRole(
                desired.name(),
                "/",
                desired.arn(),
                TRUST,
                Optional.empty(),
                desired.managedPolicyArns(),
                Optional.empty(),
                3600,
                TAGS,
                "d");
        assertThat(RolePlan.between(without, inLine()))
                .containsExactly(new RoleChange.DeleteInlinePolicy(DesiredRole.INLINE_POLICY_NAME));
    }
}
