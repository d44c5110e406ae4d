package dev.blueshift.sample.cache;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whether the cache answered last time. Logs each change once (not every failed call, which
 * would flood the log during an outage) and exposes it as the gauge blueshift_cache_available.
 */
@ApplicationScoped
public class CacheAvailability {
    private static final Logger LOG = Logger.getLogger(CacheAvailability.class);

    private final AtomicBoolean available = new AtomicBoolean(true);

    public CacheAvailability(MeterRegistry registry) {
        Gauge.builder("blueshift.cache.available", available, a -> a.get() ? 1 : 0)
                .description("1 while Redis answers, 0 while reads fall back to the database")
                .register(registry);
    }

    public void answered() {
        if (available.compareAndSet(false, true)) {
            LOG.info("Redis answers again: reads use the cache");
        }
    }

    public void failed(CacheUnavailableException e) {
        if (available.compareAndSet(true, false)) {
            LOG.warnf("Redis is unavailable, reads fall back to the database: %s", e.getMessage());
        } else {
            LOG.debugf("Redis still unavailable: %s", e.getMessage());
        }
    }

    public boolean isAvailable() {
        return available.get();
    }
}
