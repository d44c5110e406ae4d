package dev.blueshift.sample.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.blueshift.sample.support.CapturedLog;
import dev.blueshift.sample.support.DisposableRedis;
import dev.blueshift.sample.support.Meters;
import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** With Redis gone, reads and writes keep working on the database, and the service says so. */
@QuarkusTest
@TestProfile(RedisDownProfile.class)
class RedisDownTest {
    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.redis.hosts")
    URI redisUrl;

    private static void read(long id, String expectedName) {
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/{id}", id)
                .then()
                .statusCode(200)
                .body("name", equalTo(expectedName));
    }

    private double available() {
        return registry.get("blueshift.cache.available").gauge().value();
    }

    @Test
    void readsFallBackToTheDatabaseWhileRedisIsDownAndUseItAgainWhenItIsBack() {
        long id = Products.create("resilient");
        read(id, "resilient");
        double hits = Meters.cacheLookups(registry, "hit");
        read(id, "resilient");
        assertThat(Meters.cacheLookups(registry, "hit")).isEqualTo(hits + 1);

        try (CapturedLog log = CapturedLog.of(CacheAvailability.class)) {
            DisposableRedis.stop(redisUrl.getPort());
            double unavailable = Meters.cacheLookups(registry, "unavailable");
            long dbReads = Meters.databaseCalls(registry, "find");

            read(id, "resilient");
            assertThat(Meters.cacheLookups(registry, "unavailable")).isEqualTo(unavailable + 1);
            assertThat(Meters.databaseCalls(registry, "find")).isEqualTo(dbReads + 1);
            assertThat(available()).isZero();
            assertThat(log.messages()).anyMatch(m -> m.startsWith("WARN") && m.contains("fall back to the database"));

            // Writes go on too; their invalidation fails quietly and the next read is still fresh.
            given().auth()
                    .oauth2(Tokens.readWrite())
                    .contentType(ContentType.JSON)
                    .body(Products.draft(Products.uniqueSku(), "renamed-while-down"))
                    .when()
                    .put("/products/{id}", id)
                    .then()
                    .statusCode(200);
            read(id, "renamed-while-down");

            DisposableRedis.start(redisUrl.getPort());
            await().untilAsserted(() -> {
                read(id, "renamed-while-down");
                assertThat(available()).isEqualTo(1.0);
            });
            assertThat(log.messages()).anyMatch(m -> m.startsWith("INFO") && m.contains("answers again"));
        }
    }

    @Test
    void aRedisThatDoesNotAnswerWithinTheTimeoutCountsAsDownAndTheReadGoesToTheDatabase() {
        long id = Products.create("patient");
        read(id, "patient");
        double unavailable = Meters.cacheLookups(registry, "unavailable");
        double hits = Meters.cacheLookups(registry, "hit");
        long dbReads = Meters.databaseCalls(registry, "find");

        // Far longer than blueshift.cache.timeout: without the timeout the read would wait for
        // Redis and then be a hit.
        DisposableRedis.pause(redisUrl.getPort(), Duration.ofSeconds(4));
        read(id, "patient");
        assertThat(Meters.cacheLookups(registry, "unavailable")).isEqualTo(unavailable + 1);
        assertThat(Meters.cacheLookups(registry, "hit")).isEqualTo(hits);
        assertThat(Meters.databaseCalls(registry, "find")).isEqualTo(dbReads + 1);

        // Once Redis answers again, reads are hits again.
        await().untilAsserted(() -> {
            double before = Meters.cacheLookups(registry, "hit");
            read(id, "patient");
            assertThat(Meters.cacheLookups(registry, "hit")).isEqualTo(before + 1);
        });
    }
}
