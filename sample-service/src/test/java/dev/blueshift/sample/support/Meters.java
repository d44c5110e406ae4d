package dev.blueshift.sample.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Reads the service's own meters in tests. */
public final class Meters {
    private Meters() {}

    public static double cacheLookups(MeterRegistry registry, String result) {
        return registry.get("blueshift.cache.lookups")
                .tag("result", result)
                .counter()
                .count();
    }

    public static double coalescedLoads(MeterRegistry registry) {
        return registry.get("blueshift.cache.coalesced").counter().count();
    }

    /** Database calls of one operation so far, whatever their outcome. */
    public static long databaseCalls(MeterRegistry registry, String operation) {
        return registry.find("blueshift.db.queries").tag("operation", operation).timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }
}
