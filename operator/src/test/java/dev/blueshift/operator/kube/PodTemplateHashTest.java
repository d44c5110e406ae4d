package dev.blueshift.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
    private static PodTemplateSpec template(String image, Map<String, String> labels) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void sameTemplateSameRevisionWhateverTheMapOrder() {
        String a = PodTemplateHash.digest(template("app:1", Map.of("a", "1", "b", "2")), "");
        String b = PodTemplateHash.digest(template("app:1", new java.util.TreeMap<>(Map.of("b", "2", "a", "1"))), "");
        assertThat(a).isEqualTo(b).hasSize(64);
        assertThat(PodTemplateHash.revision(a, 0)).hasSize(10).matches("[0-9a-f]+");
    }

    @Test
    void imageOrConfigChangeMakesANewRevision() {
        String base = PodTemplateHash.digest(template("app:1", Map.of()), "");
        assertThat(PodTemplateHash.digest(template("app:2", Map.of()), "")).isNotEqualTo(base);
        assertThat(PodTemplateHash.digest(template("app:1", Map.of()), "cfg")).isNotEqualTo(base);
    }

    @Test
    void aCollisionWithADifferentTemplateMovesToTheNextCount() {
        String digest = PodTemplateHash.digest(template("app:1", Map.of()), "");
        String taken = PodTemplateHash.revision(digest, 0);
        PodTemplateHash.Revision resolved = PodTemplateHash.resolve(digest, 0, Map.of(taken, "some-other-digest"));
        assertThat(resolved.collisionCount()).isEqualTo(1);
        assertThat(resolved.name()).isNotEqualTo(taken).isEqualTo(PodTemplateHash.revision(digest, 1));
    }

    @Test
    void theReplicaSetOfTheSameTemplateIsNoCollision() {
        String digest = PodTemplateHash.digest(template("app:1", Map.of()), "");
        PodTemplateHash.Revision resolved =
                PodTemplateHash.resolve(digest, 0, Map.of(PodTemplateHash.revision(digest, 0), digest));
        assertThat(resolved.collisionCount()).isZero();
    }
}
