package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.kube.WorkloadLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What wakes a reconcile of an MSD: the informers on the objects it owns and on the ConfigMaps
 * and Secrets its template reads, whose caches keep only the fields the operator reads
 * ({@link CachedFields}).
 */
final class EventSources {
    /**
     * Objects per page of an informer's list (at start-up and on a relist): all at once, the full
     * objects of 1000 MSDs, 2000 ReplicaSets and 2000 Services are held before the caches trim them,
     * and the heap grew to twice the live data after a restart (make bench, issue 15).
     */
    static final long LIST_LIMIT = 200;

    private EventSources() {}

    static List<EventSource<?, MicroserviceDeployment>> of(
            EventSourceContext<MicroserviceDeployment> context, EventSource<?, MicroserviceDeployment> alarmStates) {
        return List.of(
                ownedInformer(context, Deployment.class, CachedFields::deployment),
                ownedInformer(context, ReplicaSet.class, CachedFields::replicaSet),
                ownedInformer(context, Service.class, CachedFields::service),
                ownedInformer(context, ServiceAccount.class, CachedFields::serviceAccount),
                referencedInformer(
                        context, ConfigMap.class, ConfigReferences::configMaps, ConfigReferences::keepingDataDigest),
                referencedInformer(
                        context, Secret.class, ConfigReferences::secrets, ConfigReferences::keepingDataDigest),
                alarmStates);
    }

    /** @param cached what the cache keeps of each object ({@link CachedFields}) */
    private static <R extends HasMetadata> InformerEventSource<R, MicroserviceDeployment> ownedInformer(
            EventSourceContext<MicroserviceDeployment> context, Class<R> type, UnaryOperator<R> cached) {
        var config = InformerEventSourceConfiguration.from(type, MicroserviceDeployment.class)
                .withLabelSelector(WorkloadLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(MicroserviceDeployment.class, false))
                .withItemStore(new TransformingItemStore<>(cached::apply))
                .withInformerListLimit(LIST_LIMIT)
                .build();
        return new InformerEventSource<>(config, context);
    }

    /**
     * ConfigMaps or Secrets an MSD's template reads: a change to one makes a new revision. The
     * cache holds every one in the cluster, so it keeps only the digest of their data.
     */
    private static <R extends HasMetadata> InformerEventSource<R, MicroserviceDeployment> referencedInformer(
            EventSourceContext<MicroserviceDeployment> context,
            Class<R> type,
            Function<PodTemplateSpec, Set<String>> references,
            UnaryOperator<R> keepingDataDigest) {
        var config = InformerEventSourceConfiguration.from(type, MicroserviceDeployment.class)
                .withSecondaryToPrimaryMapper(object -> context.getPrimaryCache()
                        .list(object.getMetadata().getNamespace())
                        .filter(msd -> references
                                .apply(msd.getSpec().getTemplate())
                                .contains(object.getMetadata().getName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((MicroserviceDeployment msd) ->
                        references.apply(msd.getSpec().getTemplate()).stream()
                                .map(name ->
                                        new ResourceID(name, msd.getMetadata().getNamespace()))
                                .collect(Collectors.toSet()))
                .withItemStore(
                        new TransformingItemStore<>(object -> keepingDataDigest.apply(CachedFields.metadata(object))))
                .withInformerListLimit(LIST_LIMIT)
                .build();
        return new InformerEventSource<>(config, context);
    }
}
