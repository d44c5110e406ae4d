package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * The operator SDK's cache of MSDs keeps them without their managedFields, as the caches of the
 * objects they own do ({@link CachedFields}): nothing reads them, and each status apply adds an
 * entry whose field set is a tree of maps. At 1000 MSDs they were the largest part of the heap (a
 * third of its live objects; make bench, issue 15).
 */
public class MsdCacheStore extends TransformingItemStore<MicroserviceDeployment> {
    public MsdCacheStore() {
        super(CachedFields::msd);
    }
}
