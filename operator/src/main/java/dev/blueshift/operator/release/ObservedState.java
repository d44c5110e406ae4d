package dev.blueshift.operator.release;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator sees of one MSD in the cluster: the objects it owns (from the informers'
 * caches) and the ConfigMaps and Secrets its template reads.
 */
public record ObservedState(
        MicroserviceDeployment msd,
        Optional<Deployment> deployment,
        List<ReplicaSet> replicaSets,
        Optional<Service> activeService,
        Optional<Service> previewService,
        Map<String, ConfigMap> configMaps,
        Map<String, Secret> secrets) {

    /** The Service exists and already selects exactly {@code selector}: nothing to write. */
    public static boolean selects(Optional<Service> service, Map<String, String> selector) {
        return service.map(s -> selector.equals(s.getSpec().getSelector())).orElse(false);
    }
}
