package dev.blueshift.sample.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A CloudWatch endpoint that records PutMetricData calls. The AWS SDK's CloudWatch client speaks
 * the Smithy RPC v2 CBOR protocol, which the local AWS emulator does not, so the test decodes the
 * real wire format here. GET /recorded returns the calls received, as JSON.
 */
public class FakeCloudWatch implements QuarkusTestResourceLifecycleManager {
    private static final String PUT_METRIC_DATA = "/service/GraniteServiceVersion20100801/operation/PutMetricData";

    private final CBORMapper cbor = new CBORMapper();
    private final ObjectMapper json = new ObjectMapper();
    private final ArrayNode recorded = json.createArrayNode();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake CloudWatch endpoint", e);
        }
        server.createContext("/recorded", this::answerRecorded);
        server.createContext("/service/", this::answerOperation);
        server.start();
        // The SDK's default credential chain reads these; the fake endpoint checks no signature.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        return Map.of(
                "blueshift.cloudwatch.enabled", "true",
                "blueshift.cloudwatch.endpoint",
                        "http://127.0.0.1:" + server.getAddress().getPort(),
                "blueshift.cloudwatch.region", "us-east-1",
                "blueshift.cloudwatch.step", "1S");
    }

    private void answerOperation(HttpExchange exchange) throws IOException {
        if (!PUT_METRIC_DATA.equals(exchange.getRequestURI().getPath())) {
            send(exchange, 404, "application/cbor", cbor.writeValueAsBytes(Map.of("__type", "UnknownOperation")));
            return;
        }
        JsonNode call = cbor.readTree(exchange.getRequestBody());
        synchronized (recorded) {
            recorded.add(call);
        }
        exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
        send(exchange, 200, "application/cbor", cbor.writeValueAsBytes(Map.of()));
    }

    private void answerRecorded(HttpExchange exchange) throws IOException {
        byte[] body;
        synchronized (recorded) {
            body = json.writeValueAsBytes(recorded);
        }
        send(exchange, 200, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
