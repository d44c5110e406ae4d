package dev.blueshift.sample.support;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/** Mints Cognito-style access tokens for tests, valid or broken in one chosen way. */
public final class Tokens {
    public static final String READ = "products/read";
    public static final String WRITE = "products/write";

    private Tokens() {}

    /** A valid access token carrying the given scopes. */
    public static String access(String... scopes) {
        return signed(TestIdentityProvider.POOL_KEY.getPrivate(), claims(scopes));
    }

    public static String readWrite() {
        return access(READ, WRITE);
    }

    /** A token that is valid but for the given change to its claims. */
    public static String accessWith(Consumer<JwtClaims> change, String... scopes) {
        JwtClaims claims = claims(scopes);
        change.accept(claims);
        return signed(TestIdentityProvider.POOL_KEY.getPrivate(), claims);
    }

    /** Claims that are all valid, signed with a key the pool never published (same kid). */
    public static String signedByForger(String... scopes) {
        return signed(TestIdentityProvider.FORGER_KEY.getPrivate(), claims(scopes));
    }

    public static String expired(String... scopes) {
        return accessWith(
                c -> {
                    Instant past = Instant.now().minus(Duration.ofHours(2));
                    c.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(past.getEpochSecond()));
                    c.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(
                            past.plus(Duration.ofHours(1)).getEpochSecond()));
                },
                scopes);
    }

    /** A valid read-only token whose payload was edited to claim the write scope too. */
    public static String tamperedToGrantWrite() {
        String valid = access(READ);
        String[] parts = valid.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims(READ, WRITE).toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return parts[0] + "." + forgedPayload + "." + parts[2];
    }

    /** An unsigned token (alg none) with otherwise valid claims. */
    public static String unsigned() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(READ, WRITE).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaims claims(String... scopes) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestIdentityProvider.ISSUER);
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("client_id", TestIdentityProvider.CLIENT_ID);
        claims.setClaim("token_use", "access");
        claims.setClaim("scope", String.join(" ", scopes));
        claims.setClaim("username", "test-user");
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        return claims;
    }

    private static String signed(PrivateKey key, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(TestIdentityProvider.KEY_ID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
