package dev.blueshift.sample.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static JWTCallerPrincipal expiringAt(Instant expiry) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("someone");
        claims.setExpirationTime(NumericDate.fromSeconds(expiry.getEpochSecond()));
        return new DefaultJWTCallerPrincipal(claims);
    }

    private static VerifiedTokens at(Instant now, int size) {
        return new VerifiedTokens(size, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void remembersAVerifiedTokenUntilItsExpiry() {
        JWTCallerPrincipal principal = expiringAt(NOW.plusSeconds(60));
        VerifiedTokens tokens = at(NOW, 10);
        tokens.put("token-a", principal);
        assertThat(tokens.get("token-a")).isSameAs(principal);
        assertThat(tokens.get("token-b")).isNull();
    }

    @Test
    void forgetsATokenOnceItExpires() {
        MovableClock clock = new MovableClock(NOW);
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), clock);
        tokens.put("token-a", expiringAt(NOW.plusSeconds(60)));
        clock.now = NOW.plusSeconds(59);
        assertThat(tokens.get("token-a")).isNotNull();
        clock.now = NOW.plusSeconds(60);
        assertThat(tokens.get("token-a")).isNull();
    }

    @Test
    void forgetsATokenAfterTheTtlEvenBeforeItExpires() {
        MovableClock clock = new MovableClock(NOW);
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), clock);
        tokens.put("token-a", expiringAt(NOW.plusSeconds(3600)));
        clock.now = NOW.plus(Duration.ofMinutes(5));
        assertThat(tokens.get("token-a")).isNull();
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void sizeZeroRemembersNothing() {
        VerifiedTokens tokens = at(NOW, 0);
        tokens.put("token-a", expiringAt(NOW.plusSeconds(60)));
        assertThat(tokens.get("token-a")).isNull();
    }

    @Test
    void staysWithinItsBound() {
        VerifiedTokens tokens = at(NOW, 2);
        tokens.put("token-a", expiringAt(NOW.plusSeconds(60)));
        tokens.put("token-b", expiringAt(NOW.plusSeconds(60)));
        tokens.put("token-c", expiringAt(NOW.plusSeconds(60)));
        assertThat(tokens.get("token-c")).isNotNull();
        assertThat(tokens.get("token-a")).isNull();
    }
}
