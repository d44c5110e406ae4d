package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
}
