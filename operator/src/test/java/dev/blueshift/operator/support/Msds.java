package dev.blueshift.operator.support;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.BlueGreen;
import dev.blueshift.operator.api.v1alpha1.spec.MicroserviceDeploymentSpec;
import dev.blueshift.operator.api.v1alpha1.spec.StrategyType;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** MicroserviceDeployments for tests. */
public final class Msds {
    private Msds() {}

    public static MicroserviceDeployment rolling(String namespace, String name, int replicas, String image) {
        MicroserviceDeployment msd = new MicroserviceDeployment();
        msd.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withGeneration(1L)
                .withUid("uid-" + name)
                .build());
        MicroserviceDeploymentSpec spec = new MicroserviceDeploymentSpec();
        spec.setReplicas(replicas);
        spec.setTemplate(new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("team", "payments")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .build());
        msd.setSpec(spec);
        return msd;
    }

    /** A BlueGreen MSD with short delays, for tests that watch a whole release. */
    public static MicroserviceDeployment blueGreen(String namespace, String name, int replicas, String image) {
        MicroserviceDeployment msd = rolling(namespace, name, replicas, image);
        msd.getSpec().getStrategy().setType(StrategyType.BlueGreen);
        BlueGreen settings = new BlueGreen();
        settings.setScaleDownDelaySeconds(2);
        settings.setAbortScaleDownDelaySeconds(2);
        msd.getSpec().getStrategy().setBlueGreen(settings);
        return msd;
    }

    /** A BlueGreen MSD whose release previews one Pod and then pauses until promoted. */
    public static MicroserviceDeployment blueGreenPausingForPromotion(
            String namespace, String name, int replicas, String image) {
        MicroserviceDeployment msd = blueGreen(namespace, name, replicas, image);
        msd.getSpec().getStrategy().getBlueGreen().setPreviewReplicaCount(1);
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        return msd;
    }

    public static void setImage(MicroserviceDeployment msd, String image) {
        msd.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
    }

    /** The Rolling Deployment of an MSD named {@code name} as the cluster reports it: {@code ready} Pods ready. */
    /** A Deployment with {@code ready} ready Pods and two more that are not ready yet. */
    public static Deployment deploymentWithReadyPods(String name, int ready) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withReplicas(ready + 2)
                .withReadyReplicas(ready)
                .endStatus()
                .build();
    }
}
