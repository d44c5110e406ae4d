package dev.blueshift.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which nodes {@link KwokOnly} takes for kwok's (those of hack/kwok-nodes.yaml), and the test image setting. */
class KwokNodesTest {
    @Test
    void kwokNodesAreKnownByTheirLabelOrTheirAnnotation() {
        assertThat(KwokNodes.isKwok("kwok/fake")).isTrue();
        assertThat(KwokNodes.isKwok("kwok/")).isTrue();
        assertThat(KwokNodes.isKwok("/fake")).isTrue();
    }

    @Test
    void aRealNodeIsNotKwoks() {
        assertThat(KwokNodes.isKwok("/")).isFalse();
        assertThat(KwokNodes.isKwok("worker/")).isFalse();
        assertThat(KwokNodes.isKwok("kwokish/real")).isFalse();
    }

    @Test
    void theTestImageIsThePropertyElseTheEnvironmentElseASmallPublicImage() {
        assertThat(TestImage.choose("kind.local/app:1", "ecr.example/app:2")).isEqualTo("kind.local/app:1");
        assertThat(TestImage.choose(" ", "ecr.example/app:2")).isEqualTo("ecr.example/app:2");
        assertThat(TestImage.choose(null, "")).isEqualTo("registry.k8s.io/pause:3.10");
    }
}
