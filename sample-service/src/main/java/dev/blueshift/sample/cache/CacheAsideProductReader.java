package dev.blueshift.sample.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blueshift.sample.SampleConfig;
import dev.blueshift.sample.catalog.Product;
import dev.blueshift.sample.store.ProductStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Reads a product as its JSON document, cache-aside: Redis first; on a miss the database, then
 * Redis is filled with a TTL (under a lease, so that a concurrent write is never undone).
 * Concurrent misses on one product reach the database once. When Redis cannot answer, the read
 * goes to the database instead of failing.
 *
 * <p>A hit never leaves the I/O thread; database work runs on worker threads. Created at startup
 * so that its meters are exported (at zero) before the first request.
 */
@Startup
@ApplicationScoped
public class CacheAsideProductReader {
  private final ProductCache cache;
  private final ProductStore store;
  private final ObjectMapper json;
  private final CacheAvailability availability;
  private final boolean cacheEnabled;
  private final Counter hits;
  private final Counter misses;
  private final Counter unavailable;
  private final SingleFlight<Long, String> loads;

  public CacheAsideProductReader(
      ProductCache cache,
      ProductStore store,
      ObjectMapper json,
      CacheAvailability availability,
      SampleConfig config,
      MeterRegistry registry) {
    this.cache = cache;
    this.store = store;
    this.json = json;
    this.availability = availability;
    this.cacheEnabled = config.cache().enabled();
    this.hits = lookups(registry, "hit");
    this.misses = lookups(registry, "miss");
    this.unavailable = lookups(registry, "unavailable");
    Counter coalesced = Counter.builder("blueshift.cache.coalesced")
        .description("Cache misses that waited for a database load already running for the same product")
        .register(registry);
    this.loads = new SingleFlight<>(coalesced::increment);
  }

  /** The product's JSON document, or a null item when there is no such product. */
  public Uni<String> findJson(long id) {
    if (!cacheEnabled) {
      return onWorker(() -> loadFromStore(id));
    }
    // One operator on the hit path: each Mutiny stage costs a context capture per request.
    return cache.get(id).onItemOrFailure().transformToUni((cached, failure) -> {
      if (failure instanceof CacheUnavailableException down) {
        availability.failed(down);
        unavailable.increment();
        return onWorker(() -> loads.load(id, () -> loadFromStore(id)));
      }
      if (failure != null) {
        return Uni.createFrom().failure(failure);
      }
      availability.answered();
      if (cached != null) {
        hits.increment();
        return Uni.createFrom().item(cached);
      }
      misses.increment();
      return onWorker(() -> loads.load(id, () -> loadAndFill(id)));
    });
  }

  /** Drops a product from the cache after a write, so that no later read sees the old version. Blocking. */
  public void invalidate(long id) {
    if (!cacheEnabled) {
      return;
    }
    try {
      cache.evict(id).await().indefinitely();
      availability.answered();
    } catch (CacheUnavailableException e) {
      // The entry, if any, expires with its TTL; reads meanwhile bypass a cache that is down.
      availability.failed(e);
    }
  }

  /**
   * Reads the database and fills the cache, under a lease taken before the read: a write that
   * lands meanwhile evicts the lease, and the possibly old document is then not cached.
   */
  private String loadAndFill(long id) {
    String lease = takeLease(id);
    String document = loadFromStore(id);
    if (lease != null) {
      fill(id, lease, document);
    }
    return document;
  }

  /** The lease, or null when another reader (perhaps in another Pod) is filling, or Redis is down. */
  private String takeLease(long id) {
    try {
      return cache.lease(id).await().indefinitely();
    } catch (CacheUnavailableException e) {
      availability.failed(e);
      return null;
    }
  }

  private void fill(long id, String lease, String document) {
    try {
      cache.fill(id, lease, document).await().indefinitely();
    } catch (CacheUnavailableException e) {
      availability.failed(e);
    }
  }

  /** The document from the database, or null when there is no such product. */
  private String loadFromStore(long id) {
    return store.find(id).map(this::toJson).orElse(null);
  }

  private String toJson(Product product) {
    try {
      return json.writeValueAsString(product);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write product " + product.id() + " as JSON", e);
    }
  }

  private static <T> Uni<T> onWorker(Supplier<T> blockingWork) {
    return Uni.createFrom().item(blockingWork).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private static Counter lookups(MeterRegistry registry, String result) {
    return Counter.builder("blueshift.cache.lookups")
        .description("Product cache lookups by result: hit, miss, or unavailable (read from the database)")
        .tag("result", result)
        .register(registry);
  }
}
