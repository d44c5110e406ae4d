package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import java.util.Map;

/** The labels that tie Kubernetes objects to the MicroserviceDeployment they belong to. */
public final class WorkloadLabels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "blueshift";
    /** Selects every Pod of one MSD; stable for the MSD's lifetime (Deployment selectors are immutable). */
    public static final String MSD = "blueshift.dev/msd";

    public static final String NAME = "app.kubernetes.io/name";
    /** The revision (pod-template hash) of a BlueGreen ReplicaSet and its Pods. */
    public static final String REVISION = "blueshift.dev/revision";

    /** Label selector for the informers: only objects this operator manages. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

    private WorkloadLabels() {}

    /** Labels on every object the operator creates for {@code msd}. */
    public static Map<String, String> of(MicroserviceDeployment msd) {
        return Map.of(
                MANAGED_BY,
                MANAGER,
                MSD,
                msd.getMetadata().getName(),
                NAME,
                msd.getMetadata().getName());
    }

    /** The selector that matches the Pods of one revision of {@code msd}. */
    public static Map<String, String> revisionSelector(MicroserviceDeployment msd, String revision) {
        return Map.of(MSD, msd.getMetadata().getName(), REVISION, revision);
    }

    /** A selector as `kubectl get -l` takes it, keys sorted. */
    public static String format(Map<String, String> selector) {
        return new java.util.TreeMap<>(selector)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(","));
    }

    /** The selector that matches all Pods of {@code msd}. */
    public static Map<String, String> podSelector(MicroserviceDeployment msd) {
        return Map.of(MSD, msd.getMetadata().getName());
    }
}
