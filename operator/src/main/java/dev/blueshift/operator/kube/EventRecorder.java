package dev.blueshift.operator.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/** Records Kubernetes Events on an object, so that `kubectl describe` tells what the operator did. */
public final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "blueshift-operator";

    private final KubernetesClient client;
    private int recorded;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    /** A Warning or a Normal Event, as the decision that explains it says. */
    public void record(HasMetadata object, boolean warning, String reason, String message) {
        record(object, warning ? "Warning" : "Normal", reason, message);
    }

    /** Events this recorder sent to the API server (each one request). */
    public int recorded() {
        return recorded;
    }

    /**
     * Named after what it says, so that recording the same decision twice (a reconcile that saw a
     * stale status, an operator restart) leaves one Event, not two.
     */
    static String eventName(HasMetadata object, String reason, String message) {
        String key = object.getMetadata().getUid() + "|" + object.getMetadata().getGeneration() + "|" + reason + "|"
                + message;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return object.getMetadata().getName() + "." + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(eventName(object, reason, message))
                .withNamespace(object.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(object.getApiVersion())
                        .withKind(object.getKind())
                        .withName(object.getMetadata().getName())
                        .withNamespace(object.getMetadata().getNamespace())
                        .withUid(object.getMetadata().getUid())
                        .withResourceVersion(object.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource(COMPONENT, null)
                .withReportingComponent(COMPONENT)
                .build();
        try {
            recorded++;
            client.v1()
                    .events()
                    .inNamespace(object.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return; // this very explanation is already recorded (a repeated decision, e.g. after a restart)
            }
            // An event is an explanation, not state: failing to record one must not fail the reconcile.
            LOG.warnf(
                    "could not record event %s on %s: %s",
                    reason, object.getMetadata().getName(), e.getMessage());
        }
    }
}
