package dev.blueshift.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestImage;
import dev.blueshift.operator.support.aws.AwsMsds;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class PodTemplateHashOfTest {
    /** The revision of a template alone: no referenced ConfigMaps or Secrets, no collision. */
    private static String revisionOf(PodTemplateSpec template) {
        return PodTemplateHash.revision(PodTemplateHash.digest(template, ""), 0);
    }

    @Test
    void equalTemplatesHaveEqualRevisionsWhateverTheOrderOfTheirLabels() {
        PodTemplateSpec a = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("a", "1")
                .addToLabels("b", "2")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("x:1")
                .endContainer()
                .endSpec()
                .build();
        PodTemplateSpec b = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("b", "2")
                .addToLabels("a", "1")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("x:1")
                .endContainer()
                .endSpec()
                .build();

        assertThat(revisionOf(a)).isEqualTo(revisionOf(b)).matches("[0-9a-f]{10}");
    }

    @Test
    void aNewImageIsANewRevisionAndScalingIsNot() {
        MicroserviceDeployment msd = Msds.rolling("shop", "cart", 2, "registry.example/cart:1.0");
        String before = revisionOf(msd.getSpec().getTemplate());

        msd.getSpec().setReplicas(5);
        assertThat(revisionOf(msd.getSpec().getTemplate())).isEqualTo(before);

        msd.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/cart:2.0");
        assertThat(revisionOf(msd.getSpec().getTemplate())).isNotEqualTo(before);
    }

    @Test
    void theServiceAccountOfAnIamRoleIsPartOfTheRevisionUnlessTheTemplateNamesItsOwn() {
        MicroserviceDeployment msd = Msds.rolling("shop", "cart", 2, TestImage.IMAGE);
        String withoutRole = PodTemplateHash.digest(msd, "");
        assertThat(withoutRole)
                .as("no role: the user's template alone")
                .isEqualTo(PodTemplateHash.digest(msd.getSpec().getTemplate(), ""));

        MicroserviceDeployment withRole = AwsMsds.withRoleAndAlarm("shop", "cart");
        assertThat(PodTemplateHash.digest(withRole, ""))
                .as("Pods that run as the role's ServiceAccount are a new revision")
                .isNotEqualTo(withoutRole);

        msd.getSpec().getTemplate().getSpec().setServiceAccountName("cart-runtime");
        withRole.getSpec().getTemplate().getSpec().setServiceAccountName("cart-runtime");
        assertThat(PodTemplateHash.digest(withRole, ""))
                .as("the template's own ServiceAccount: the Pods do not change")
                .isEqualTo(PodTemplateHash.digest(msd, ""));
    }
}
