package dev.blueshift.sample.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.SampleServiceTestResource;
import dev.blueshift.sample.support.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SampleServiceTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ProductApiTest {

    @Test
    void createdProductCanBeReadBackById() {
        long id = Products.create("lamp");
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/{id}", id)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo((int) id))
                .body("name", equalTo("lamp"))
                .body("priceCents", equalTo(1299));
    }

    @Test
    void createAnswers201WithLocation() {
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(Products.uniqueSku(), "desk"))
                .when()
                .post("/products")
                .then()
                .statusCode(201)
                .header("Location", containsString("/products/"))
                .body("name", equalTo("desk"));
    }

    @Test
    void updateReplacesTheProduct() {
        long id = Products.create("chair");
        Map<String, Object> changed = Products.draft(Products.uniqueSku(), "armchair");
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(changed)
                .when()
                .put("/products/{id}", id)
                .then()
                .statusCode(200)
                .body("name", equalTo("armchair"));
    }

    @Test
    void deletedProductIsGone() {
        long id = Products.create("vase");
        given().auth()
                .oauth2(Tokens.readWrite())
                .when()
                .delete("/products/{id}", id)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(Tokens.readWrite())
                .when()
                .get("/products/{id}", id)
                .then()
                .statusCode(404)
                .body("error", equalTo("no product with id " + id));
        given().auth()
                .oauth2(Tokens.readWrite())
                .when()
                .delete("/products/{id}", id)
                .then()
                .statusCode(404);
    }

    @Test
    void updateOfUnknownProductIs404() {
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(Products.uniqueSku(), "ghost"))
                .when()
                .put("/products/{id}", Long.MAX_VALUE)
                .then()
                .statusCode(404);
    }

    @Test
    void listPagesThroughTheCatalogue() {
        Products.create("page-a");
        Products.create("page-b");
        Products.create("page-c");
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .queryParam("page", 0)
                .queryParam("size", 2)
                .when()
                .get("/products")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("total", greaterThanOrEqualTo(3));
        int total = given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products")
                .then()
                .extract()
                .path("total");
        int lastPage = (total - 1) / 2;
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .queryParam("page", lastPage)
                .queryParam("size", 2)
                .when()
                .get("/products")
                .then()
                .statusCode(200)
                .body("items.size()", lessThanOrEqualTo(2));
    }

    @Test
    void invalidDraftIs400WithFieldErrors() {
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Map.of("sku", "bad sku!", "name", "", "priceCents", -5))
                .when()
                .post("/products")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid request"))
                .body("fields", hasKey("sku"))
                .body("fields.name", equalTo("must not be blank"))
                .body("fields.priceCents", containsString("greater than or equal to 0"));
    }

    @Test
    void pageSizeOutOfRangeIs400() {
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .queryParam("size", 1000)
                .when()
                .get("/products")
                .then()
                .statusCode(400)
                .body("fields.size", containsString("less than or equal to 100"));
    }

    @Test
    void duplicateSkuIs409() {
        String sku = Products.uniqueSku();
        Products.create(sku, "first");
        given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(Products.draft(sku, "second"))
                .when()
                .post("/products")
                .then()
                .statusCode(409)
                .body("error", endsWith("exists already"));
    }

    @Test
    void infoNamesTheRevision() {
        given().when()
                .get("/info")
                .then()
                .statusCode(200)
                .body("revision", equalTo(SampleServiceTestResource.REVISION));
    }
}
