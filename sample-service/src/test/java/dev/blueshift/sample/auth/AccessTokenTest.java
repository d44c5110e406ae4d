package dev.blueshift.sample.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.SampleServiceTestResource;
import dev.blueshift.sample.support.TestIdentityProvider;
import dev.blueshift.sample.support.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API accepts only what API Gateway's Cognito authorizer would pass, with the right scope. */
@QuarkusTest
@WithTestResource(value = SampleServiceTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AccessTokenTest {
    private long productId;

    @BeforeEach
    void createProduct() {
        productId = Products.create("token-test");
    }

    private void getProductWith(String token, int expectedStatus) {
        given().auth()
                .oauth2(token)
                .when()
                .get("/products/{id}", productId)
                .then()
                .statusCode(expectedStatus);
    }

    @Test
    void validTokenWithReadScopeReads() {
        getProductWith(Tokens.access(Tokens.READ), 200);
    }

    @Test
    void missingTokenIs401() {
        given().when().get("/products/{id}", productId).then().statusCode(401);
    }

    @Test
    void garbageTokenIs401() {
        getProductWith("not-a-jwt", 401);
    }

    @Test
    void tokenSignedWithAnUnpublishedKeyIs401() {
        getProductWith(Tokens.signedByForger(Tokens.READ), 401);
    }

    @Test
    void tamperedPayloadIs401() {
        given().auth()
                .oauth2(Tokens.tamperedToGrantWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(Products.uniqueSku(), "forged"))
                .when()
                .post("/products")
                .then()
                .statusCode(401);
    }

    @Test
    void unsignedTokenIs401() {
        getProductWith(Tokens.unsigned(), 401);
    }

    @Test
    void expiredTokenIs401() {
        getProductWith(Tokens.expired(Tokens.READ), 401);
    }

    @Test
    void tokenFromAnotherIssuerIs401() {
        getProductWith(
                Tokens.accessWith(
                        c -> c.setIssuer("https://cognito-idp.us-east-1.amazonaws.com/other-pool"), Tokens.READ),
                401);
    }

    @Test
    void tokenForAnotherAppClientIs401() {
        getProductWith(Tokens.accessWith(c -> c.setClaim("client_id", "someone-elses-client"), Tokens.READ), 401);
    }

    @Test
    void idTokenIs401() {
        getProductWith(Tokens.accessWith(c -> c.setClaim("token_use", "id"), Tokens.READ), 401);
    }

    @Test
    void idStyleTokenNamingOurClientInAudIsAccepted() {
        getProductWith(
                Tokens.accessWith(
                        c -> {
                            c.unsetClaim("client_id");
                            c.setAudience(TestIdentityProvider.CLIENT_ID);
                        },
                        Tokens.READ),
                200);
    }

    @Test
    void aTokenAcceptedEarlierIsRejectedOnceItExpires() {
        String shortLived = Tokens.accessWith(
                c -> c.setExpirationTime(
                        NumericDate.fromSeconds(Instant.now().plusSeconds(2).getEpochSecond())),
                Tokens.READ);
        getProductWith(shortLived, 200);
        getProductWith(shortLived, 200);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> getProductWith(shortLived, 401));
    }

    @Test
    void readWithoutReadScopeIs403() {
        getProductWith(Tokens.access(Tokens.WRITE), 403);
    }

    @Test
    void writeWithOnlyReadScopeIs403() {
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .contentType(ContentType.JSON)
                .body(Products.draft(Products.uniqueSku(), "no-write"))
                .when()
                .post("/products")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .delete("/products/{id}", productId)
                .then()
                .statusCode(403);
    }

    @Test
    void probesNeedNoToken() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
