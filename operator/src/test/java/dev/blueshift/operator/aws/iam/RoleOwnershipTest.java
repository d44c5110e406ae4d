package dev.blueshift.operator.aws.iam;

import static dev.blueshift.operator.aws.iam.RoleOwnership.Verdict.ADOPTABLE;
import static dev.blueshift.operator.aws.iam.RoleOwnership.Verdict.FOREIGN;
import static dev.blueshift.operator.aws.iam.RoleOwnership.Verdict.OTHER_OWNER;
import static dev.blueshift.operator.aws.iam.RoleOwnership.Verdict.OWNED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleOwnershipTest {
    final Map<String, String> ours = RoleOwnership.tags("prod", "shop", "cart");

    @Test
    void ourTagsMeanOursWithOrWithoutTheAdoptAnnotation() {
        assertThat(RoleOwnership.judge(ours, "prod", "shop", "cart", false)).isEqualTo(OWNED);
        assertThat(RoleOwnership.judge(ours, "prod", "shop", "cart", true)).isEqualTo(OWNED);
    }

    @Test
    void anUntaggedRoleIsAdoptedOnlyWhenAsked() {
        assertThat(RoleOwnership.judge(Map.of("team", "x"), "prod", "shop", "cart", false))
                .isEqualTo(FOREIGN);
        assertThat(RoleOwnership.judge(Map.of("team", "x"), "prod", "shop", "cart", true))
                .isEqualTo(ADOPTABLE);
    }

    @Test
    void aRoleTaggedForAnotherMsdOrClusterIsNeverOursEvenWhenAdoptionIsAsked() {
        assertThat(RoleOwnership.judge(ours, "staging", "shop", "cart", true)).isEqualTo(OTHER_OWNER);
        assertThat(RoleOwnership.judge(ours, "prod", "shop2", "cart", true)).isEqualTo(OTHER_OWNER);
        assertThat(RoleOwnership.judge(ours, "prod", "shop", "cart2", true)).isEqualTo(OTHER_OWNER);
    }
}
