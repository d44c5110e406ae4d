package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.kube.Ownership;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.release.ObservedState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Gathers an MSD's {@link ObservedState} from the informers' caches: no API calls. */
final class ClusterObserver {
    private ClusterObserver() {}

    static ObservedState observe(MicroserviceDeployment msd, Context<MicroserviceDeployment> context) {
        Map<String, Service> services =
                byName(context.getSecondaryResources(Service.class).stream().toList());
        return new ObservedState(
                msd,
                context.getSecondaryResources(Deployment.class).stream()
                        .filter(d -> Ownership.isControlledBy(d, msd))
                        .findFirst(),
                // A Deployment's own ReplicaSets carry our labels too (copied from the template); only ours count.
                context.getSecondaryResources(ReplicaSet.class).stream()
                        .filter(rs -> Ownership.isControlledBy(rs, msd))
                        .toList(),
                java.util.Optional.ofNullable(services.get(TrafficServiceBuilder.activeName(msd))),
                java.util.Optional.ofNullable(services.get(TrafficServiceBuilder.previewName(msd))),
                byName(context.getSecondaryResources(ConfigMap.class).stream().toList()),
                byName(context.getSecondaryResources(Secret.class).stream().toList()));
    }

    private static <T extends HasMetadata> Map<String, T> byName(java.util.List<T> objects) {
        return objects.stream()
                .collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity(), (a, b) -> a));
    }
}
