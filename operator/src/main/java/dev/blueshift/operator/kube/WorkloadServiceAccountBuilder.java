package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The workload's ServiceAccount, annotated for IRSA with the role the Pods assume. */
public final class WorkloadServiceAccountBuilder {
    public static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
    public static final String STS_REGIONAL_ENDPOINTS = "eks.amazonaws.com/sts-regional-endpoints";

    private WorkloadServiceAccountBuilder() {}

    public static ServiceAccount build(
            MicroserviceDeployment msd, String name, Optional<String> roleArn, boolean stsRegionalEndpoints) {
        Map<String, String> annotations = new LinkedHashMap<>();
        roleArn.ifPresent(arn -> annotations.put(ROLE_ARN, arn));
        if (stsRegionalEndpoints) {
            annotations.put(STS_REGIONAL_ENDPOINTS, "true");
        }
        return new ServiceAccountBuilder()
                .withMetadata(OwnedObjectMeta.of(msd, name))
                .editMetadata()
                .withAnnotations(annotations)
                .endMetadata()
                .build();
    }

    /**
     * Whether {@code existing} already is {@code desired} in all the operator sets: our labels, the
     * same controller, and each IRSA annotation present with the same value or absent alike. Then
     * applying it again would change nothing, and costs a request per reconcile.
     */
    public static boolean holds(ServiceAccount existing, ServiceAccount desired) {
        Map<String, String> labels = existing.getMetadata().getLabels();
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        return labels != null
                && labels.entrySet()
                        .containsAll(desired.getMetadata().getLabels().entrySet())
                && Objects.equals(
                        existing.getMetadata().getOwnerReferences(),
                        desired.getMetadata().getOwnerReferences())
                && Stream.of(ROLE_ARN, STS_REGIONAL_ENDPOINTS)
                        .allMatch(key -> Objects.equals(
                                annotations == null ? null : annotations.get(key),
                                desired.getMetadata().getAnnotations().get(key)));
    }
}
