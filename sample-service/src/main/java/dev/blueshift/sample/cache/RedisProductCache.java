package dev.blueshift.sample.cache;

import dev.blueshift.sample.SampleConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

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
  public Optional<String> get(long id) {
    return Optional.ofNullable(await("get", values.get(key(id))));
  }

  @Override
  @WithSpan("cache.products.put")
  public void put(long id, String json) {
    await("put", values.setex(key(id), ttl.toSeconds(), json));
  }

  @Override
  @WithSpan("cache.products.evict")
  public void evict(long id) {
    await("evict", keys.del(key(id)));
  }

  private <T> T await(String operation, Uni<T> call) {
    try {
      return call.await().atMost(timeout);
    } catch (RuntimeException e) {
      throw new CacheUnavailableException(operation, e);
    }
  }

  private static String key(long id) {
    return KEY_PREFIX + id;
  }
}
