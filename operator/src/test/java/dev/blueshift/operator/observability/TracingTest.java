package dev.blueshift.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TracingTest {
    @Test
    void withoutAnEndpointSpansAreNotRecorded() {
        Tracing tracing = new Tracing(Optional::empty);
        Span span =
                tracing.tracer().spanBuilder("reconcile MicroserviceDeployment").startSpan();
        assertThat(span.isRecording()).isFalse();
        span.end();
        tracing.close();
    }

    @Test
    void withAnEndpointSpansAreExportedOverOtlpHttp() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath() + " " + new String(body, StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
            Tracing tracing = new Tracing(() -> Optional.of(endpoint));
            Span span = tracing.tracer()
                    .spanBuilder("reconcile MicroserviceDeployment")
                    .startSpan();
            assertThat(span.isRecording()).isTrue();
            span.end();
            tracing.close(); // flushes the batch
            assertThat(received)
                    .anySatisfy(r -> assertThat(r)
                            .startsWith("POST /v1/traces ")
                            .contains("reconcile MicroserviceDeployment")
                            .contains(Tracing.SERVICE_NAME));
        } finally {
            collector.stop(0);
        }
    }
}
