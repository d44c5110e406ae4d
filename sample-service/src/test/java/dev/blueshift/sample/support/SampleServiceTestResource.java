package dev.blueshift.sample.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * What every test needs: the real Redis and PostgreSQL servers, and the test user pool's JWKS
 * endpoint, wired into the service's configuration.
 *
 * <p>Arguments: {@code redis=disposable} gives the service a Redis server of its own, which the
 * test may stop; {@code database=down} points the service at a port nothing listens on.
 */
public class SampleServiceTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String REVISION = "rev-under-test";
    public static final String REDIS = "redis";
    public static final String DATABASE = "database";

    private boolean disposableRedis;
    private boolean databaseDown;
    private int redisPort = LocalServers.REDIS_PORT;

    @Override
    public void init(Map<String, String> args) {
        disposableRedis = "disposable".equals(args.get(REDIS));
        databaseDown = "down".equals(args.get(DATABASE));
    }

    @Override
    public Map<String, String> start() {
        LocalServers.ensureRunning();
        if (disposableRedis) {
            redisPort = LocalServers.freePort();
            DisposableRedis.start(redisPort);
        }
        Map<String, String> config = new HashMap<>();
        config.put("blueshift.revision", REVISION);
        config.put("mp.jwt.verify.publickey.location", TestIdentityProvider.jwksUrl());
        config.put("mp.jwt.verify.issuer", TestIdentityProvider.ISSUER);
        // No grace after expiry, so a test can watch a remembered token expire within seconds.
        config.put("blueshift.auth.expiry-leeway", "0S");
        config.put("blueshift.auth.client-ids", TestIdentityProvider.CLIENT_ID);
        config.put("quarkus.datasource.username", LocalServers.POSTGRES_USER);
        config.put("quarkus.redis.hosts", LocalServers.redisUrl(redisPort));
        if (databaseDown) {
            config.put(
                    "quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + LocalServers.freePort() + "/" + LocalServers.POSTGRES_DATABASE);
            config.put("quarkus.flyway.migrate-at-start", "false");
        } else {
            config.put("quarkus.datasource.jdbc.url", LocalServers.jdbcUrl());
        }
        return config;
    }

    @Override
    public void stop() {
        if (disposableRedis) {
            DisposableRedis.stop(redisPort);
        }
        // The shared servers stay up for the next run; hack/sample-deps.sh down stops them.
    }
}
