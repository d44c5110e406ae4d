package dev.blueshift.sample.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.sample.support.Meters;
import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.SampleServiceTestResource;
import dev.blueshift.sample.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SampleServiceTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CacheAsideTest {
    private static final int CONCURRENT_READERS = 16;

    @Inject
    MeterRegistry registry;

    @Inject
    RedisDataSource redis;

    @Inject
    DataSource database;

    @Inject
    ProductCache cache;

    private static Response read(long id) {
        return given().auth().oauth2(Tokens.access(Tokens.READ)).when().get("/products/{id}", id);
    }

    private boolean cached(long id) {
        return redis.key(String.class).exists("product:" + id);
    }

    @Test
    void firstReadMissesAndFillsTheCacheWithATtlThenReadsHit() {
        long id = Products.create("cached-lamp");
        double hits = Meters.cacheLookups(registry, "hit");
        double misses = Meters.cacheLookups(registry, "miss");
        long dbReads = Meters.databaseCalls(registry, "find");

        read(id).then().statusCode(200);
        assertThat(Meters.cacheLookups(registry, "miss")).isEqualTo(misses + 1);
        assertThat(cached(id)).isTrue();
        assertThat(redis.key(String.class).ttl("product:" + id)).isBetween(1L, 300L);

        String first = read(id).then().statusCode(200).extract().asString();
        String second = read(id).then().statusCode(200).extract().asString();
        assertThat(Meters.cacheLookups(registry, "hit")).isEqualTo(hits + 2);
        assertThat(Meters.databaseCalls(registry, "find")).isEqualTo(dbReads + 1);
        assertThat(second).isEqualTo(first).contains("\"name\":\"cached-lamp\"");
    }

    @Test
    void updateInvalidatesSoTheNextReadSeesTheNewVersion() {
        long id = Products.create("old-name");
        read(id).then().statusCode(200);
        assertThat(cached(id)).isTrue();

        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(Products.uniqueSku(), "new-name"))
                .when()
                .put("/products/{id}", id)
                .then()
                .statusCode(200);

        assertThat(cached(id)).isFalse();
        read(id).then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo("new-name"));
    }

    @Test
    void deleteInvalidatesSoTheProductIsGoneAtOnce() {
        long id = Products.create("short-lived");
        read(id).then().statusCode(200);
        given().auth()
                .oauth2(Tokens.readWrite())
                .when()
                .delete("/products/{id}", id)
                .then()
                .statusCode(204);
        assertThat(cached(id)).isFalse();
        read(id).then().statusCode(404);
    }

    @Test
    void aLoadThatRacesAWriteDoesNotPutTheOldVersionBack() {
        long id = Products.create("before-the-write");
        // A reader has missed and taken its lease, and read the old version from the database...
        String lease = Stages.await(cache.lease(id));
        assertThat(lease).isNotNull();
        String oldVersion = read(id).then().statusCode(200).extract().asString();
        // ...when a write lands and evicts...
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(Products.uniqueSku(), "after-the-write"))
                .when()
                .put("/products/{id}", id)
                .then()
                .statusCode(200);
        // ...so the reader's late fill is refused, and the next read sees the new version.
        assertThat(Stages.await(cache.fill(id, lease, oldVersion))).isFalse();
        assertThat(cached(id)).isFalse();
        read(id).then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo("after-the-write"));
    }

    @Test
    void whileOneLoadHoldsTheLeaseOthersReadTheDatabaseWithoutFilling() {
        long id = Products.create("leased");
        String lease = Stages.await(cache.lease(id));
        assertThat(Stages.await(cache.lease(id))).isNull();
        read(id).then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo("leased"));
        assertThat(Stages.await(cache.get(id))).isNull();
        assertThat(Stages.await(cache.fill(id, lease, "{\"id\":" + id + "}"))).isTrue();
        assertThat(Stages.await(cache.get(id))).isEqualTo("{\"id\":" + id + "}");
    }

    @Test
    void concurrentMissesOnOneHotProductReachTheDatabaseOnce() throws Exception {
        long id = Products.create("hot-product");
        long dbReads = Meters.databaseCalls(registry, "find");
        double coalesced = Meters.coalescedLoads(registry);
        ExecutorService readers = Executors.newFixedThreadPool(CONCURRENT_READERS);
        List<Future<Response>> answers = new ArrayList<>();
        // Hold the table so the first database read waits, while the other readers pile up behind it.
        try (Connection lock = database.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE products IN ACCESS EXCLUSIVE MODE");
            }
            for (int i = 0; i < CONCURRENT_READERS; i++) {
                answers.add(readers.submit(() -> read(id)));
            }
            await().until(() -> Meters.coalescedLoads(registry) == coalesced + CONCURRENT_READERS - 1);
            lock.commit();
        } finally {
            readers.shutdown();
        }
        List<String> bodies = new ArrayList<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get();
            assertThat(response.statusCode()).isEqualTo(200);
            bodies.add(response.asString());
        }
        assertThat(bodies).allMatch(body -> body.equals(bodies.get(0)));
        assertThat(Meters.databaseCalls(registry, "find")).isEqualTo(dbReads + 1);
        assertThat(cached(id)).isTrue();
    }
}
