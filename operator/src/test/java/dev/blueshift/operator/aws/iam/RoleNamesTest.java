package dev.blueshift.operator.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleNamesTest {
    @Test
    void aShortNameIsReadableAndDeterministic() {
        String name = RoleNames.of("prod", "shop", "cart");
        assertThat(name).startsWith("bs-shop-cart-").hasSize("bs-shop-cart-".length() + 10);
        assertThat(RoleNames.of("prod", "shop", "cart")).isEqualTo(name);
    }

    @Test
    void theLongestKubernetesNamesStayWithinIamsSixtyFourCharacters() {
        String ns = "n".repeat(63);
        String msd = "m".repeat(253);
        String name = RoleNames.of("a-cluster-with-a-long-name", ns, msd);
        assertThat(name).hasSizeLessThanOrEqualTo(64).matches("[\\w+=,.@-]+");
    }

    @Test
    void namesThatShortenAlikeStillDifferByNamespaceNameAndCluster() {
        String longName = "payments-service-with-a-very-long-name-that-will-be-cut-somewhere-x";
        String a = RoleNames.of("prod", "team-a", longName + "1");
        String b = RoleNames.of("prod", "team-a", longName + "2");
        assertThat(a.substring(0, a.length() - 10)).isEqualTo(b.substring(0, b.length() - 10));
        assertThat(a).isNotEqualTo(b);
        assertThat(RoleNames.of("prod", "shop", "cart")).isNotEqualTo(RoleNames.of("staging", "shop", "cart"));
    }

    @Test
    void aSeparatorInTheNamesCannotMakeTwoMsdsCollide() {
        // "a-b"/"c" and "a"/"b-c" read the same once joined with '-': the hash keeps them apart.
        assertThat(RoleNames.of("prod", "a-b", "c")).isNotEqualTo(RoleNames.of("prod", "a", "b-c"));
    }
}
