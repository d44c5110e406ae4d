package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.config.LeaseFence;
import dev.blueshift.operator.kube.EventRecorder;
import dev.blueshift.operator.kube.Ownership;
import dev.blueshift.operator.observability.OperatorMetrics;
import dev.blueshift.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kubernetes writes of one reconcile of one MSD, each refused once this replica may have lost
 * its leader lease ({@link LeaseFence}), and counted. Writes only to objects the MSD owns.
 */
final class FencedClusterWriter implements ClusterWriter {
    private final MicroserviceDeployment msd;
    private final Context<MicroserviceDeployment> context;
    private final LeaseFence fence;
    private final EventRecorder events;
    private int writes;
    private int reads;
    private int statusWrites;
    private int commandPatches;
    private int finalizerPatches;

    FencedClusterWriter(MicroserviceDeployment msd, Context<MicroserviceDeployment> context, LeaseFence fence) {
        this.msd = msd;
        this.context = context;
        this.fence = fence;
        this.events = new EventRecorder(context.getClient());
    }

    /**
     * Server-side applies {@code desired} unless an object of that name exists that this MSD does
     * not control: the informers only see our own objects, so a cache miss is checked with a GET.
     *
     * @param observed the object as the cache has it, if it does
     */
    @Override
    public <R extends HasMetadata> R apply(R desired, Optional<R> observed) {
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) desired.getClass();
        requireOwnable(type, desired.getMetadata().getName(), observed);
        fence.check();
        writes++;
        // The SDK keeps what the apply returns in its cache of recent writes: in the cached form.
        return CachedFields.of(context.resourceOperations().serverSideApply(desired));
    }

    /**
     * Throws {@link Ownership.ConflictException} when an object of that name exists in the MSD's
     * namespace that this MSD does not control; a cache miss is checked with a GET.
     */
    <R extends HasMetadata> void requireOwnable(Class<R> type, String name, Optional<R> observed) {
        R existing = observed.orElseGet(() -> {
            reads++;
            return context.getClient()
                    .resources(type)
                    .inNamespace(msd.getMetadata().getNamespace())
                    .withName(name)
                    .get();
        });
        if (existing != null && !Ownership.isControlledBy(existing, msd)) {
            throw new Ownership.ConflictException(existing);
        }
    }

    @Override
    public void nudge(ReplicaSet replicaSet) {
        if (Ownership.isControlledBy(replicaSet, msd)) {
            fence.check();
            writes++;
            context.getClient()
                    .apps()
                    .replicaSets()
                    .inNamespace(msd.getMetadata().getNamespace())
                    .withName(replicaSet.getMetadata().getName())
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + NUDGE_ANNOTATION + "\":\"" + Instant.now()
                                    + "\"}}}");
        }
    }

    /** The annotation {@link #nudge} sets: when the Pods' ServiceAccount was found missing and then made. */
    static final String NUDGE_ANNOTATION = "blueshift.dev/service-account-ready";

    /** Adds {@code finalizer} to the MSD (a patch, retried on conflict); the others stay as they are. */
    void addFinalizer(String finalizer) {
        fence.check();
        finalizerPatches++;
        CachedFields.of(context.resourceOperations().addFinalizer(finalizer));
    }

    /** Removes {@code finalizer} from the MSD, and no other (a patch, retried on conflict). */
    void removeFinalizer(String finalizer) {
        fence.check();
        finalizerPatches++;
        CachedFields.of(context.resourceOperations().removeFinalizer(finalizer));
    }

    /** Deletes {@code observed} if this MSD controls it; anything else is left alone. */
    @Override
    public void delete(HasMetadata observed) {
        if (Ownership.isControlledBy(observed, msd)) {
            fence.check();
            writes++;
            context.getClient().resource(observed).delete();
        }
    }

    /** A JSON merge patch of that one annotation: the object's other fields keep their owners. */
    @Override
    public void annotate(HasMetadata observed, String key, String value) {
        if (Ownership.isControlledBy(observed, msd)) {
            fence.check();
            writes++;
            context.getClient()
                    .resource(observed)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
        }
    }

    @Override
    public void event(boolean warning, String reason, String message) {
        fence.check();
        events.record(msd, warning, reason, message);
    }

    /**
     * Through resourceOperations, so that the cache holds the written status at once and the next
     * reconcile does not see the old phase again (in the cached form, {@link CachedFields#of}).
     */
    @Override
    public MicroserviceDeployment writeStatus(MicroserviceDeploymentStatus status) {
        fence.check();
        statusWrites++;
        return CachedFields.of(context.resourceOperations().serverSideApplyPrimaryStatus(StatusPatch.of(msd, status)));
    }

    /** A JSON patch that tests each annotation still has the value read, so a command given again since is not lost. */
    @Override
    public boolean removeCommands(Set<String> commands) {
        fence.check();
        commandPatches++;
        try {
            context.getClient()
                    .resources(MicroserviceDeployment.class)
                    .inNamespace(msd.getMetadata().getNamespace())
                    .withName(msd.getMetadata().getName())
                    .patch(
                            PatchContext.of(PatchType.JSON),
                            CommandConsumption.patch(msd.getMetadata().getAnnotations(), commands));
            return true;
        } catch (KubernetesClientException e) {
            if (CommandConsumption.testFailed(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Counts the requests made, by kind (blueshift_kube_requests_total). */
    void report(OperatorMetrics metrics) {
        metrics.kubeRequests("object", writes);
        metrics.kubeRequests("get", reads);
        metrics.kubeRequests("status", statusWrites);
        metrics.kubeRequests("command", commandPatches);
        metrics.kubeRequests("finalizer", finalizerPatches);
        metrics.kubeRequests("event", events.recorded());
    }
}
