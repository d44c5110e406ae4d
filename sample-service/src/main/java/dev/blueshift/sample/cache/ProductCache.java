package dev.blueshift.sample.cache;

import io.smallrye.mutiny.Uni;

/**
 * The shared cache of products as JSON documents (Redis here, ElastiCache in AWS). Non-blocking,
 * so that a cache hit is answered without leaving the I/O thread. Every operation fails with
 * {@link CacheUnavailableException} when the cache cannot answer in time.
 */
public interface ProductCache {
  /** The cached document, or a null item when the product is not cached. */
  Uni<String> get(long id);

  /** Stores the document with the configured time to live. */
  Uni<Void> put(long id, String json);

  Uni<Void> evict(long id);
}
