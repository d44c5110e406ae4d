package dev.blueshift.sample.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * A stand-in for a Cognito user pool: RSA signing keys and a JWKS endpoint over HTTP.
 *
 * <p>The keys come from fixed seeds, so every class loader (Quarkus loads test resources and
 * tests apart) derives the same pair without sharing state.
 */
public final class TestIdentityProvider {
    public static final String ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool";
    public static final String CLIENT_ID = "sample-client";
    public static final String KEY_ID = "test-key-1";

    /** The pool's signing key, published in the JWKS. */
    public static final KeyPair POOL_KEY = rsaKeyPair("blueshift-pool-key");
    /** A key the pool never published: tokens signed with it are forgeries. */
    public static final KeyPair FORGER_KEY = rsaKeyPair("blueshift-forger-key");

    private static HttpServer server;

    private TestIdentityProvider() {}

    /** Starts the JWKS endpoint once per class loader and returns its URL. */
    public static synchronized String jwksUrl() {
        if (server == null) {
            server = startJwksServer();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    private static HttpServer startJwksServer() {
        try {
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) POOL_KEY.getPublic());
            jwk.setKeyId(KEY_ID);
            jwk.setAlgorithm("RS256");
            jwk.setUse("sig");
            byte[] body = new JsonWebKeySet(List.<JsonWebKey>of(jwk)).toJson().getBytes(StandardCharsets.UTF_8);
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the JWKS endpoint", e);
        }
    }

    private static KeyPair rsaKeyPair(String seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed.getBytes(StandardCharsets.UTF_8));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
