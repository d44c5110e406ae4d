package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Metadata of an object owned by an MSD: its namespace, our labels and a controller owner reference. */
public final class OwnedObjectMeta {
    private OwnedObjectMeta() {}

    public static ObjectMeta of(MicroserviceDeployment msd, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(msd.getMetadata().getNamespace())
                .withLabels(WorkloadLabels.of(msd))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(msd.getApiVersion())
                        .withKind(msd.getKind())
                        .withName(msd.getMetadata().getName())
                        .withUid(msd.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .build();
    }
}
