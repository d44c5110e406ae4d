package dev.blueshift.sample.cache;

import dev.blueshift.sample.SampleConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** {@link ProductCache} on Redis: one string key per product, each with a TTL. */
@ApplicationScoped
public class RedisProductCache implements ProductCache {
  private static final String KEY_PREFIX = "product:";

  private final ReactiveValueCommands<String, String> values;
  private final ReactiveKeyCommands<String> keys;
  private final Duration ttl;
  private final Duration timeout;

  public RedisProductCache(ReactiveRedisDataSource redis, SampleConfig config) {
    this.values = redis.value(String.class, String.class);
    this.keys = redis.key(String.class);
    this.ttl = config.cache().ttl();
    this.timeout = config.cache().timeout();
  }

  @Override
  @WithSpan("cache.products.get")
  public Uni<String> get(long id) {
    return guarded("get", values.get(key(id)));
  }

  @Override
  @WithSpan("cache.products.put")
  public Uni<Void> put(long id, String json) {
    return guarded("put", values.setex(key(id), ttl.toSeconds(), json));
  }

  @Override
  @WithSpan("cache.products.evict")
  public Uni<Void> evict(long id) {
    return guarded("evict", keys.del(key(id)).replaceWithVoid());
  }

  /** A Redis call that fails, or does not answer within the timeout, means the cache is unavailable. */
  private <T> Uni<T> guarded(String operation, Uni<T> call) {
    return call.ifNoItem().after(timeout).fail()
        .onFailure().transform(e -> new CacheUnavailableException(operation, e));
  }

  private static String key(long id) {
    return KEY_PREFIX + id;
  }
}
