package dev.blueshift.sample.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.sample.support.Products;
import dev.blueshift.sample.support.Tokens;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A read produces one trace: the HTTP server span, with the cache and database spans under it. */
@QuarkusTest
@TestProfile(TracingProfile.class)
class TracingTest {
    @Inject
    InMemorySpanExporter spans;

    @Test
    void aCacheMissTracesTheCacheLookupTheLeaseTheDatabaseReadAndTheFill() {
        long id = Products.create("traced");
        spans.reset();
        given().auth()
                .oauth2(Tokens.access(Tokens.READ))
                .when()
                .get("/products/{id}", id)
                .then()
                .statusCode(200);

        await().untilAsserted(() -> assertThat(names(spans.getFinishedSpanItems()))
                .contains(
                        "GET /products/{id}",
                        "cache.products.get",
                        "cache.products.lease",
                        "db.products.find",
                        "cache.products.fill"));
        List<SpanData> finished = spans.getFinishedSpanItems();
        SpanData server = finished.stream()
                .filter(s -> s.getName().equals("GET /products/{id}"))
                .findFirst()
                .orElseThrow();
        assertThat(finished)
                .filteredOn(s -> s.getName().startsWith("cache.") || s.getName().startsWith("db."))
                .allMatch(s -> s.getTraceId().equals(server.getTraceId()));
    }

    private static List<String> names(List<SpanData> finished) {
        return finished.stream().map(SpanData::getName).toList();
    }
}
