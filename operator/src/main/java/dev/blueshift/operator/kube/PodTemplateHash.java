package dev.blueshift.operator.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The revision of a release: a digest of the user's pod template and of the data of the
 * ConfigMaps and Secrets it references. The short form names ReplicaSets and labels Pods; the full
 * digest, kept on the ReplicaSet, tells two templates apart when their short forms collide.
 */
public final class PodTemplateHash {
    private static final int SHORT_LENGTH = 10;
    private static final ObjectMapper CANONICAL =
            Serialization.jsonMapper().copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private PodTemplateHash() {}

    /** The template as canonical JSON: sorted map keys, no whitespace. */
    public static String canonicalJson(PodTemplateSpec template) {
        try {
            return CANONICAL.writeValueAsString(template);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the pod template", e);
        }
    }

    /**
     * The full digest of the pod template the MSD's Pods run with, together with the data of the
     * config it reads: the user's template as the workload identity makes it (the ServiceAccount of
     * the MSD's IAM role, when the template names none). Adding or removing the role is thus a new
     * revision, released like any other: a Pod's ServiceAccount, and the role's credentials with
     * it, are set when the Pod is created, so the old Pods cannot get them.
     */
    public static String digest(MicroserviceDeployment msd, String configDigest) {
        return digest(WorkloadIdentity.applyTo(msd.getSpec().getTemplate(), msd), configDigest);
    }

    /** The full digest (64 hex characters) of {@code template} together with {@code configDigest}. */
    public static String digest(PodTemplateSpec template, String configDigest) {
        return sha256(canonicalJson(template) + "\n" + configDigest);
    }

    /**
     * The revision name for {@code digest}: its first characters, or, after {@code collisionCount}
     * collisions, those of a digest salted with the count, as Deployments do with theirs.
     */
    public static String revision(String digest, int collisionCount) {
        String source = collisionCount == 0 ? digest : sha256(digest + "/" + collisionCount);
        return source.substring(0, SHORT_LENGTH);
    }

    /** A revision name and the collision count it took to find it. */
    public record Revision(String name, int collisionCount) {}

    /**
     * The revision for {@code digest}: the first name, from {@code collisionCount} on, that no
     * existing ReplicaSet with a different digest already holds.
     *
     * @param existing the digest each existing ReplicaSet was made from, by revision name
     */
    public static Revision resolve(String digest, int collisionCount, java.util.Map<String, String> existing) {
        int count = collisionCount;
        while (true) {
            String name = revision(digest, count);
            String holder = existing.get(name);
            if (holder == null || holder.equals(digest)) {
                return new Revision(name, count);
            }
            count++;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
