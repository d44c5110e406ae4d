package dev.blueshift.sample.cache;

import java.util.concurrent.CompletionStage;

/**
 * The shared cache of products as JSON documents (Redis here, ElastiCache in AWS). Non-blocking,
 * so that a cache hit is answered without leaving the I/O thread. Every operation fails with
 * {@link CacheUnavailableException} when the cache cannot answer in time.
 *
 * <p>Filling is guarded by a lease, so that a load racing a write cannot put the old version
 * back: a reader takes the lease before it reads the database, a write's {@link #evict} removes
 * it, and {@link #fill} stores the document only while the reader's lease is still there.
 *
 * <p>Plain completion stages rather than Mutiny: each Mutiny operator captures and restores the
 * propagated contexts, which on the hit path cost more than the Redis call itself.
 */
public interface ProductCache {
    /** The cached document, or null when the product is not cached (or is being loaded). */
    CompletionStage<String> get(long id);

    /** Takes the lease to fill this product; null when another load holds it. */
    CompletionStage<String> lease(long id);

    /**
     * Stores the document (with the configured time to live) if the lease is still in place, or
     * just gives the lease up when the document is null. The result says whether the lease held.
     */
    CompletionStage<Boolean> fill(long id, String lease, String json);

    /** Removes the product and any lease on it: the next read loads it afresh. */
    CompletionStage<Void> evict(long id);
}
