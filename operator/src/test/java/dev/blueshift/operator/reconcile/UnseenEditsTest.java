package dev.blueshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnseenEditsTest {
    private static MicroserviceDeployment msd(
            long generation, Map<String, String> annotations, String resourceVersion) {
        MicroserviceDeployment msd = new MicroserviceDeployment();
        msd.setMetadata(new ObjectMetaBuilder()
                .withName("pay")
                .withNamespace("shop")
                .withGeneration(generation)
                .withAnnotations(annotations)
                .withResourceVersion(resourceVersion)
                .build());
        return msd;
    }

    @Test
    void ourOwnStatusWriteAloneIsNoEdit() {
        assertThat(UnseenEdits.between(msd(2, Map.of("a", "b"), "10"), msd(2, Map.of("a", "b"), "11")))
                .isFalse();
    }

    @Test
    void aCommandGivenBetweenTheReadAndTheStatusWriteIsSeen() {
        assertThat(UnseenEdits.between(msd(2, Map.of(), "10"), msd(2, Map.of("blueshift.dev/retry", "true"), "12")))
                .isTrue();
    }

    @Test
    void aCommandGivenAgainWithAnotherValueIsSeen() {
        assertThat(UnseenEdits.between(
                        msd(2, Map.of("blueshift.dev/abort", "1"), "10"),
                        msd(2, Map.of("blueshift.dev/abort", "2"), "12")))
                .isTrue();
    }

    @Test
    void aNewSpecIsSeen() {
        assertThat(UnseenEdits.between(msd(2, Map.of(), "10"), msd(3, Map.of(), "12")))
                .isTrue();
    }

    @Test
    void noResponseIsNoEdit() {
        assertThat(UnseenEdits.between(msd(2, Map.of(), "10"), null)).isFalse();
    }
}
