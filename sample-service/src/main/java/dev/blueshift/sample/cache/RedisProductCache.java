package dev.blueshift.sample.cache;

import dev.blueshift.sample.SampleConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * {@link ProductCache} on Redis: one string key per product, holding either the JSON document
 * (with a TTL) or, while a reader loads it, that reader's lease.
 */
@ApplicationScoped
public class RedisProductCache implements ProductCache {
  private static final String KEY_PREFIX = "product:";
  /** JSON documents start with '{', so a lease can never be mistaken for one. */
  private static final String LEASE_PREFIX = "lease:";
  /** Longer than any sane database read; a reader that dies leaves a lease that expires. */
  private static final Duration LEASE_TTL = Duration.ofSeconds(10);
  /** Sets the document, or deletes the key when the document is empty, only while the lease holds. */
  private static final String FILL_IF_LEASED = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
      if ARGV[2] == '' then redis.call('DEL', KEYS[1])
      else redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
      return 1""";

  private final ReactiveRedisDataSource redis;
  private final ReactiveValueCommands<String, String> values;
  private final ReactiveKeyCommands<String> keys;
  private final String ttlSeconds;
  private final Duration timeout;

  public RedisProductCache(ReactiveRedisDataSource redis, SampleConfig config) {
    this.redis = redis;
    this.values = redis.value(String.class, String.class);
    this.keys = redis.key(String.class);
    this.ttlSeconds = Long.toString(config.cache().ttl().toSeconds());
    this.timeout = config.cache().timeout();
  }

  @Override
  @WithSpan("cache.products.get")
  public Uni<String> get(long id) {
    return guarded("get", values.get(key(id)))
        .map(value -> value == null || value.startsWith(LEASE_PREFIX) ? null : value);
  }

  @Override
  @WithSpan("cache.products.lease")
  public Uni<String> lease(long id) {
    String lease = LEASE_PREFIX + UUID.randomUUID();
    return guarded("lease", values.setGet(key(id), lease, new SetArgs().nx().px(LEASE_TTL)))
        // SET NX GET answers the value that was there: null means our lease is now in place.
        .map(previous -> previous == null ? lease : null);
  }

  @Override
  @WithSpan("cache.products.fill")
  public Uni<Boolean> fill(long id, String lease, String json) {
    return guarded("fill", redis.execute("EVAL", FILL_IF_LEASED, "1", key(id), lease,
            json == null ? "" : json, ttlSeconds))
        .map(stored -> stored != null && stored.toInteger() == 1);
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
