package dev.blueshift.operator.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.support.LocalControlPlane;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Makes the API server answer 409 Conflict to a share of the operator's writes, as a contended
 * cluster would: a validating admission webhook served by the test JVM (HTTPS on 127.0.0.1, a
 * self-signed certificate made by keytool) denies, with code 409, that share of the creates and
 * updates whose field manager is the operator's, on the ReplicaSets, Services and ServiceAccounts
 * of one namespace and on the status of its MSDs. The API server passes the code on to the
 * operator unchanged. {@code failurePolicy: Ignore}: when this JVM is gone, writes go through.
 */
final class ConflictWebhook implements AutoCloseable {
    private static final String PASSWORD = "conflict-webhook";

    private final double share;
    private final String fieldManager;
    private final Random random;
    private final HttpsServer server;
    private final String caBundle;
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> reviewed = new ConcurrentHashMap<>();
    private KubernetesClient client;
    private String name;

    /**
     * @param share of the operator's writes to answer with 409 (0..1)
     * @param fieldManager the operator's field manager: only its writes are denied
     */
    ConflictWebhook(double share, String fieldManager, Random random) throws Exception {
        this.share = share;
        this.fieldManager = fieldManager;
        this.random = random;
        Path dir = Files.createTempDirectory("conflict-webhook");
        Path keystore = dir.resolve("webhook.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "webhook",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "san=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = store.getCertificate("webhook");
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        caBundle = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/validate", this::review);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    /** Registers the webhook for {@code namespace}'s objects (and removes it on {@link #close}). */
    void register(String namespace) {
        this.client = LocalControlPlane.client();
        this.name = "blueshift-test-conflicts-" + namespace;
        ValidatingWebhookConfiguration configuration = new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addNewWebhook()
                .withName("conflicts.test.blueshift.dev")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy("Ignore")
                .withTimeoutSeconds(2)
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + server.getAddress().getPort() + "/validate")
                .withCaBundle(caBundle)
                .endClientConfig()
                .withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", namespace)
                .endNamespaceSelector()
                .addNewRule()
                .withApiGroups("apps")
                .withApiVersions("v1")
                .withResources("replicasets")
                .withOperations("CREATE", "UPDATE")
                .endRule()
                .addNewRule()
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("services", "serviceaccounts")
                .withOperations("CREATE", "UPDATE")
                .endRule()
                .addNewRule()
                .withApiGroups(MicroserviceDeployment.GROUP)
                .withApiVersions("*")
                .withResources("microservicedeployments/status")
                .withOperations("UPDATE")
                .endRule()
                .endWebhook()
                .build();
        client.resource(configuration).serverSideApply();
    }

    private void review(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode review = Serialization.jsonMapper().readTree(exchange.getRequestBody());
            JsonNode request = review.path("request");
            String resource = request.path("resource").path("resource").asText()
                    + (request.path("subResource").asText().isEmpty()
                            ? ""
                            : "/" + request.path("subResource").asText());
            String manager = request.path("options").path("fieldManager").asText();
            reviewed.computeIfAbsent(manager + " " + resource, k -> new AtomicInteger())
                    .incrementAndGet();
            boolean deny;
            synchronized (random) {
                deny = fieldManager.equals(manager) && random.nextDouble() < share;
            }
            ObjectNode response = Serialization.jsonMapper().createObjectNode();
            response.put("apiVersion", "admission.k8s.io/v1");
            response.put("kind", "AdmissionReview");
            ObjectNode answer = response.putObject("response");
            answer.put("uid", request.path("uid").asText());
            answer.put("allowed", !deny);
            if (deny) {
                injected.computeIfAbsent(resource, k -> new AtomicInteger()).incrementAndGet();
                ObjectNode status = answer.putObject("status");
                status.put("code", 409);
                status.put("reason", "Conflict");
                status.put(
                        "message", "injected conflict: the object has been modified; please apply your changes again");
            }
            byte[] body = Serialization.jsonMapper().writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** 409s answered, by resource. */
    Map<String, Integer> injected() {
        Map<String, Integer> counts = new TreeMap<>();
        injected.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    String report() {
        Map<String, Integer> seen = new TreeMap<>();
        reviewed.forEach((k, v) -> seen.put(k, v.get()));
        return "409 Conflict injected " + injected() + " of the writes reviewed " + seen;
    }

    @Override
    public void close() {
        if (client != null) {
            client.resource(new ValidatingWebhookConfigurationBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .build())
                    .delete();
            client.close();
        }
        server.stop(0);
    }
}
