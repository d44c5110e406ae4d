package dev.blueshift.sample.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** With the database unreachable, the API answers 503 with a clear message, and is not ready. */
@QuarkusTest
@TestProfile(DatabaseDownProfile.class)
class DatabaseDownTest {
    private static final String MESSAGE = "the product database is unavailable, retry later";

    @Inject
    RedisDataSource redis;

    @Test
    void readOfAnUncachedProductIs503() {
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/{id}", 424242)
                .then()
                .statusCode(503)
                .header("Retry-After", "5")
                .body("error", equalTo(MESSAGE));
    }

    @Test
    void listAndWritesAre503() {
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products")
                .then()
                .statusCode(503)
                .body("error", equalTo(MESSAGE));
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(Products.uniqueSku(), "nowhere"))
                .when()
                .post("/products")
                .then()
                .statusCode(503)
                .body("error", equalTo(MESSAGE));
    }

    @Test
    void aCachedProductIsStillServed() {
        long id = 987_654_321L;
        redis.value(String.class).setex("product:" + id, 60, "{\"id\":" + id + ",\"name\":\"from-cache\"}");
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/{id}", id)
                .then()
                .statusCode(200)
                .body("name", equalTo("from-cache"));
    }

    @Test
    void readinessIsDownButLivenessUp() {
        given().when().get("/q/health/ready").then().statusCode(503);
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
