package dev.blueshift.sample.auth;

import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Tokens whose signature and claims were verified lately, as API Gateway caches its authorizer's
 * results: a repeated token skips the RSA verification until the earlier of its expiry and the
 * cache TTL. Keys are whole tokens, signature included, so only a token that passed verification
 * can ever match. Bounded: when full, it starts again empty.
 */
final class VerifiedTokens {
    private record Entry(JWTCallerPrincipal principal, Instant validUntil) {}

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;

    VerifiedTokens(int maxEntries, Duration ttl, Clock clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The principal of a token verified earlier and still valid, or null. */
    JWTCallerPrincipal get(String token) {
        if (maxEntries == 0) {
            return null;
        }
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.validUntil())) {
            entries.remove(token, entry);
            return null;
        }
        return entry.principal();
    }

    void put(String token, JWTCallerPrincipal principal) {
        if (maxEntries == 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        Instant now = clock.instant();
        Instant expiry = Instant.ofEpochSecond(principal.getExpirationTime());
        Instant cachedUntil = now.plus(ttl);
        entries.put(token, new Entry(principal, expiry.isBefore(cachedUntil) ? expiry : cachedUntil));
    }
}
