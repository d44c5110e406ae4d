package dev.blueshift.sample.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;

/** Creates products through the API, each with a SKU no other test uses. */
public final class Products {
    private Products() {}

    public static String uniqueSku() {
        return "sku-" + UUID.randomUUID();
    }

    public static Map<String, Object> draft(String sku, String name) {
        return Map.of("sku", sku, "name", name, "description", "a " + name, "priceCents", 1299);
    }

    public static long create(String name) {
        return create(uniqueSku(), name);
    }

    public static long create(String sku, String name) {
        Number id = given().auth()
                .oauth2(Tokens.readWrite())
                .contentType(ContentType.JSON)
                .body(draft(sku, name))
                .when()
                .post("/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return id.longValue();
    }
}
