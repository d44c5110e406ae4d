package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.config.LeaseFence;
import dev.blueshift.operator.kube.Ownership;
import dev.blueshift.operator.release.ObjectWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/** Writes to the objects an MSD owns, and only to those. */
final class OwnedObjects implements ObjectWriter {
    private final MicroserviceDeployment msd;
    private final Context<MicroserviceDeployment> context;
    private final LeaseFence fence;
    private int writes;
    private int reads;

    OwnedObjects(MicroserviceDeployment msd, Context<MicroserviceDeployment> context, LeaseFence fence) {
        this.msd = msd;
        this.context = context;
        this.fence = fence;
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
        return context.resourceOperations().serverSideApply(desired);
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

    /** Deletes {@code observed} if this MSD controls it; anything else is left alone. */
    @Override
    public void delete(HasMetadata observed) {
        if (Ownership.isControlledBy(observed, msd)) {
            fence.check();
            writes++;
            context.getClient().resource(observed).delete();
        }
    }

    int writes() {
        return writes;
    }

    /** GETs made because the cache did not have an object (only before the first create). */
    int reads() {
        return reads;
    }
}
