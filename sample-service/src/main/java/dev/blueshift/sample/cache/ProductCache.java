package dev.blueshift.sample.cache;

import java.util.Optional;

/**
 * The shared cache of products as JSON documents (Redis here, ElastiCache in AWS). Every method
 * throws {@link CacheUnavailableException} when the cache cannot answer in time.
 */
public interface ProductCache {
  Optional<String> get(long id);

  /** Stores the document with the configured time to live. */
  void put(long id, String json);

  void evict(long id);
}
