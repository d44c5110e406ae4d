package dev.blueshift.sample.cache;

import dev.blueshift.sample.SampleConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@link ProductCache} on Redis: one string key per product, holding either the JSON document
 * (with a TTL) or, while a reader loads it, that reader's lease. Uses the plain Vert.x client:
 * a hit is one GET, one event-loop timer and no Mutiny operator.
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

    private final Redis redis;
    private final Vertx vertx;
    private final String ttlSeconds;
    private final Duration timeout;

    public RedisProductCache(Redis redis, Vertx vertx, SampleConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.ttlSeconds = Long.toString(config.cache().ttl().toSeconds());
        this.timeout = config.cache().timeout();
    }

    @Override
    @WithSpan("cache.products.get")
    public CompletionStage<String> get(long id) {
        return send("get", Request.cmd(Command.GET).arg(key(id)), value -> {
            String text = value == null ? null : value.toString();
            return text == null || text.startsWith(LEASE_PREFIX) ? null : text;
        });
    }

    @Override
    @WithSpan("cache.products.lease")
    public CompletionStage<String> lease(long id) {
        String lease = LEASE_PREFIX + UUID.randomUUID();
        // SET NX GET answers the value that was there: null means our lease is now in place.
        Request setIfAbsent = Request.cmd(Command.SET)
                .arg(key(id))
                .arg(lease)
                .arg("NX")
                .arg("GET")
                .arg("PX")
                .arg(LEASE_TTL.toMillis());
        return send("lease", setIfAbsent, previous -> previous == null ? lease : null);
    }

    @Override
    @WithSpan("cache.products.fill")
    public CompletionStage<Boolean> fill(long id, String lease, String json) {
        Request fillIfLeased = Request.cmd(Command.EVAL)
                .arg(FILL_IF_LEASED)
                .arg(1)
                .arg(key(id))
                .arg(lease)
                .arg(json == null ? "" : json)
                .arg(ttlSeconds);
        return send("fill", fillIfLeased, stored -> stored != null && stored.toInteger() == 1);
    }

    @Override
    @WithSpan("cache.products.evict")
    public CompletionStage<Void> evict(long id) {
        return send("evict", Request.cmd(Command.DEL).arg(key(id)), deleted -> null);
    }

    /**
     * One Redis call, its answer read by {@code read}. A call that fails, or does not answer
     * within the timeout, fails with {@link CacheUnavailableException}.
     */
    private <T> CompletionStage<T> send(String operation, Request request, Function<Response, T> read) {
        Promise<T> answer = Promise.promise();
        long timer = vertx.setTimer(
                timeout.toMillis(),
                fired -> answer.tryFail(new CacheUnavailableException(
                        operation, new TimeoutException("no answer within " + timeout.toMillis() + " ms"))));
        redis.send(request).onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.failed()) {
                answer.tryFail(new CacheUnavailableException(operation, result.cause()));
                return;
            }
            T value;
            try {
                value = read.apply(result.result());
            } catch (RuntimeException e) {
                answer.tryFail(new CacheUnavailableException(operation, e));
                return;
            }
            answer.tryComplete(value);
        });
        return answer.future().toCompletionStage();
    }

    private static String key(long id) {
        return KEY_PREFIX + id;
    }
}
