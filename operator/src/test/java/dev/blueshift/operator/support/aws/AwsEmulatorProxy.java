package dev.blueshift.operator.support.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoint the operator's AWS SDK clients talk to in tests. It forwards every request to the
 * moto server, with two additions:
 *
 * <ul>
 *   <li>CloudWatch: the SDK speaks Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/<Op>}),
 *       moto only its JSON protocol. Requests are decoded from CBOR and sent as JSON with
 *       {@code X-Amz-Target}; answers come back as CBOR; error types are mapped back (body
 *       {@code __type} and the {@code x-amzn-query-error} header), so the SDK raises the right
 *       exception classes. IAM and STS (query protocol) pass through untouched.
 *   <li>A {@link FaultPlan}: throttling, 5xx and slow answers, as AWS gives them.
 * </ul>
 *
 * Every request is logged (service, operation) so that tests can count AWS calls at the wire,
 * retries included. Requests carrying {@link #TEST_CLIENT_HEADER} (the tests' own clients) get no
 * faults and are not logged.
 */
public final class AwsEmulatorProxy implements AutoCloseable {
    public static final String TEST_CLIENT_HEADER = "x-blueshift-test-client";
    private static final String CBOR_PREFIX = "/service/GraniteServiceVersion20100801/operation/";
    private static final String JSON_TARGET_PREFIX = "GraniteServiceVersion20100801.";
    private static final Pattern CREDENTIAL_SCOPE =
            Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Set<String> HOP_HEADERS =
            Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade");

    /**
     * moto answers with CloudWatch's query-protocol error codes; the SDK's CBOR client knows the
     * errors by their Smithy shape names (and takes the query code from x-amzn-query-error).
     */
    private static final Map<String, String> SHAPE_OF_QUERY_ERROR = Map.of(
            "ResourceNotFound", "ResourceNotFoundException",
            "LimitExceeded", "LimitExceededFault",
            "InvalidParameterValue", "InvalidParameterValueException",
            "InvalidParameterCombination", "InvalidParameterCombinationException",
            "MissingParameter", "MissingRequiredParameterException",
            "InternalServiceError", "InternalServiceFault",
            "InvalidFormat", "InvalidFormatFault");

    /** One request that reached the proxy from the code under test. */
    /** One call the operator made; {@code roleName} is the IAM RoleName parameter, when it has one. */
    public record Call(String service, String operation, String fault, String roleName) {}

    private final URI moto;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final CBORMapper cbor = new CBORMapper();
    private final ObjectMapper json = new ObjectMapper();
    private final FaultPlan faults = new FaultPlan();
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    public AwsEmulatorProxy(URI moto) {
        this(moto, 0);
    }

    /** @param port the proxy's port on 127.0.0.1; 0 for any free one */
    public AwsEmulatorProxy(URI moto, int port) {
        this.moto = moto;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the AWS emulator proxy", e);
        }
        server.createContext("/", this::handle);
        // Slow answers must not hold up other requests.
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "aws-emulator-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FaultPlan faults() {
        return faults;
    }

    /** The calls logged so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    /** Calls per "service:operation" since {@code from} (an index into {@link #calls()}). */
    public static Map<String, Long> count(List<Call> calls) {
        Map<String, Long> counts = new TreeMap<>();
        calls.forEach(c -> counts.merge(c.service() + ":" + c.operation(), 1L, Long::sum));
        return counts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            boolean cloudWatch = path.startsWith(CBOR_PREFIX);
            String service = cloudWatch ? "monitoring" : scope(exchange).orElse("unknown");
            String operation = cloudWatch ? path.substring(CBOR_PREFIX.length()) : action(body);
            boolean testClient = exchange.getRequestHeaders().containsKey(TEST_CLIENT_HEADER);
            Optional<FaultPlan.Rule> fault = testClient ? Optional.empty() : faults.take(service, operation);
            if (!testClient) {
                calls.add(new Call(
                        service,
                        operation,
                        fault.map(f -> f.kind().name()).orElse(null),
                        cloudWatch ? null : parameter(body, "RoleName").orElse(null)));
            }
            if (fault.isPresent() && fault.get().kind() != FaultPlan.Kind.SLOW) {
                sendFault(exchange, cloudWatch, fault.get().kind());
                return;
            }
            // A slow answer: the emulator does the work at once, the answer leaves late (as when AWS is
            // slow to answer a call that did succeed), so a retried create finds its own earlier result.
            Optional<java.time.Duration> late = fault.map(FaultPlan.Rule::delay);
            if (cloudWatch) {
                forwardCbor(exchange, operation, body, late);
            } else {
                forward(exchange, body, late);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Never let a bug here look like an AWS answer the operator could misread.
            byte[] message = ("proxy failure: " + e).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(599, message.length);
            exchange.getResponseBody().write(message);
        }
    }

    private void forward(HttpExchange exchange, byte[] body, Optional<Duration> late)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        moto.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        late.ifPresent(AwsEmulatorProxy::sleep);
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        send(exchange, response.statusCode(), response.body());
    }

    private void forwardCbor(HttpExchange exchange, String operation, byte[] body, Optional<Duration> late)
            throws IOException, InterruptedException {
        JsonNode input = body.length == 0 ? json.createObjectNode() : cbor.readTree(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(moto.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(input)))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", JSON_TARGET_PREFIX + operation);
        for (String header : List.of("Authorization", "X-Amz-Date", "X-Amz-Security-Token")) {
            Optional.ofNullable(exchange.getRequestHeaders().getFirst(header))
                    .ifPresent(v -> request.header(header, v));
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        late.ifPresent(AwsEmulatorProxy::sleep);
        JsonNode output = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
        exchange.getResponseHeaders().add("Content-Type", "application/cbor");
        response.headers()
                .firstValue("x-amzn-requestid")
                .ifPresent(v -> exchange.getResponseHeaders().add("x-amzn-requestid", v));
        if (response.statusCode() >= 400) {
            String type = output.path("__type").asText("InternalFailure");
            String code = type.substring(type.lastIndexOf('#') + 1);
            String message = output.has("message")
                    ? output.get("message").asText()
                    : output.path("Message").asText("");
            sendCborError(exchange, response.statusCode(), code, message);
            return;
        }
        send(exchange, response.statusCode(), cbor.writeValueAsBytes(output));
    }

    private void sendFault(HttpExchange exchange, boolean cloudWatch, FaultPlan.Kind kind) throws IOException {
        int status;
        String code;
        String message;
        switch (kind) {
            case THROTTLE -> {
                status = 400;
                code = "Throttling";
                message = "Rate exceeded";
            }
            case ACCESS_DENIED -> {
                status = 403;
                code = "AccessDenied";
                message = "User: arn:aws:sts::" + AwsEmulator.ACCOUNT_ID
                        + ":assumed-role/blueshift-operator/test is not authorized to perform this action"
                        + " (injected by the test)";
            }
            default -> {
                status = 503;
                code = "ServiceUnavailable";
                message = "Service is unavailable (injected by the test)";
            }
        }
        if (cloudWatch) {
            exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
            exchange.getResponseHeaders().add("Content-Type", "application/cbor");
            sendCborError(exchange, status, code, message);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        String xml = "<ErrorResponse><Error><Type>" + (status < 500 ? "Sender" : "Receiver") + "</Type><Code>" + code
                + "</Code><Message>" + message
                + "</Message></Error><RequestId>injected-fault</RequestId></ErrorResponse>";
        send(exchange, status, xml.getBytes(StandardCharsets.UTF_8));
    }

    private void sendCborError(HttpExchange exchange, int status, String code, String message) throws IOException {
        // CloudWatch is query-compatible: the SDK takes the error code from this header.
        exchange.getResponseHeaders().add("x-amzn-query-error", code + ";" + (status >= 500 ? "Receiver" : "Sender"));
        ObjectNode error = json.createObjectNode()
                .put("__type", SHAPE_OF_QUERY_ERROR.getOrDefault(code, code))
                .put("message", message);
        send(exchange, status, cbor.writeValueAsBytes(error));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Optional<String> scope(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = CREDENTIAL_SCOPE.matcher(authorization);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String action(byte[] body) {
        return parameter(body, "Action").orElse("unknown");
    }

    /** A parameter of a Query-protocol request body. */
    private static Optional<String> parameter(byte[] body, String name) {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** The injected slowness: this request's answer leaves after {@code delay} (other requests go on). */
    private static void sleep(Duration delay) {
        CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
                .join();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
