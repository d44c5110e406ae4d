package dev.blueshift.operator.release;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.kube.WorkloadLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

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

    /**
     * The revisions whose CloudWatch alarms should exist: every revision that still has a
     * ReplicaSet (pruning one by revisionHistoryLimit removes its alarms) and those status names.
     * A brand-new revision gets its alarms on the reconcile after its ReplicaSet appears.
     */
    public Set<String> liveRevisions() {
        Set<String> revisions = new TreeSet<>();
        replicaSets.forEach(rs -> {
            String revision = rs.getMetadata().getLabels().get(WorkloadLabels.REVISION);
            if (revision != null) {
                revisions.add(revision);
            }
        });
        MicroserviceDeploymentStatus status = msd.getStatus();
        if (status != null) {
            Stream.of(
                            status.getCurrentRevision(),
                            status.getStableRevision(),
                            status.getActiveRevision(),
                            status.getPreviewRevision())
                    .filter(Objects::nonNull)
                    .forEach(revisions::add);
        }
        return revisions;
    }

    /** The Service exists and already selects exactly {@code selector}: nothing to write. */
    public static boolean selects(Optional<Service> service, Map<String, String> selector) {
        return service.map(s -> selector.equals(s.getSpec().getSelector())).orElse(false);
    }
}
