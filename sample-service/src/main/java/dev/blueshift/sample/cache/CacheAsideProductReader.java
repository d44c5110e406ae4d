package dev.blueshift.sample.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blueshift.sample.SampleConfig;
import dev.blueshift.sample.catalog.Product;
import dev.blueshift.sample.store.ProductStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reads a product as its JSON document, cache-aside: Redis first; on a miss the database, then
 * Redis is filled with a TTL (under a lease, so that a concurrent write is never undone).
 * Concurrent misses on one product reach the database once. When Redis cannot answer, the read
 * goes to the database instead of failing.
 *
 * <p>A hit never leaves the I/O thread and passes no Mutiny operator; database work runs on worker
 * threads. Created at startup so that its meters are exported (at zero) before the first request.
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
    private final Vertx vertx;

    public CacheAsideProductReader(
            ProductCache cache,
            ProductStore store,
            ObjectMapper json,
            CacheAvailability availability,
            SampleConfig config,
            MeterRegistry registry,
            Vertx vertx) {
        this.cache = cache;
        this.vertx = vertx;
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

    /** The product's JSON document, or null when there is no such product. */
    public CompletionStage<String> findJson(long id) {
        if (!cacheEnabled) {
            return onWorker(() -> loadFromStore(id));
        }
        return cache.get(id)
                .handle((cached, failure) -> {
                    Throwable cause = Stages.cause(failure);
                    if (cause instanceof CacheUnavailableException down) {
                        availability.failed(down);
                        unavailable.increment();
                        return onWorker(() -> loads.load(id, () -> loadFromStore(id)));
                    }
                    if (cause != null) {
                        return CompletableFuture.<String>failedFuture(cause);
                    }
                    availability.answered();
                    if (cached != null) {
                        hits.increment();
                        return CompletableFuture.completedFuture(cached);
                    }
                    misses.increment();
                    return onWorker(() -> loads.load(id, () -> loadAndFill(id)));
                })
                .thenCompose(Function.identity());
    }

    /** Drops a product from the cache after a write, so that no later read sees the old version. Blocking. */
    public void invalidate(long id) {
        if (!cacheEnabled) {
            return;
        }
        try {
            Stages.await(cache.evict(id));
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
            return Stages.await(cache.lease(id));
        } catch (CacheUnavailableException e) {
            availability.failed(e);
            return null;
        }
    }

    private void fill(long id, String lease, String document) {
        try {
            Stages.await(cache.fill(id, lease, document));
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

    /**
     * Blocking work on a worker thread, from the request's Vert.x context, so that the trace
     * context goes along; the result comes back on that context.
     */
    private <T> CompletionStage<T> onWorker(Callable<T> blockingWork) {
        return vertx.executeBlocking(blockingWork, false).toCompletionStage();
    }

    private static Counter lookups(MeterRegistry registry, String result) {
        return Counter.builder("blueshift.cache.lookups")
                .description("Product cache lookups by result: hit, miss, or unavailable (read from the database)")
                .tag("result", result)
                .register(registry);
    }
}
