package dev.blueshift.operator.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The ConfigMaps and Secrets a pod template reads (env, envFrom, volumes, projected volumes), and a
 * digest of their data: a change to one of them makes a new revision, like a template change.
 */
public final class ConfigReferences {
    /** Where a cached ConfigMap or Secret keeps the digest of its data, in place of the data. */
    public static final String DATA_DIGEST = "blueshift.dev/data-sha256";
    /**
     * Set by {@code kubectl apply}: the whole object as last applied, data included (a Secret's
     * stringData in plain text). The cached copies drop it, or the digest would hide nothing.
     */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private ConfigReferences() {}

    /**
     * The ConfigMap as the operator's cache keeps it: one entry with the digest of its data instead
     * of the data. A revision needs no more, and the cache of every ConfigMap in the cluster then
     * costs little whatever they hold. Idempotent.
     */
    public static ConfigMap keepingDataDigest(ConfigMap cm) {
        withoutLastApplied(cm.getMetadata());
        if (!digestOnly(cm.getData(), cm.getBinaryData())) {
            cm.setData(Map.of(
                    DATA_DIGEST, PodTemplateHash.sha256(sorted(cm.getData()) + "|" + sorted(cm.getBinaryData()))));
            cm.setBinaryData(null);
        }
        return cm;
    }

    /** The Secret as the operator's cache keeps it: the digest of its data, never the data itself. Idempotent. */
    public static Secret keepingDataDigest(Secret secret) {
        withoutLastApplied(secret.getMetadata());
        if (!digestOnly(secret.getData(), secret.getStringData())) {
            secret.setData(Map.of(
                    DATA_DIGEST,
                    PodTemplateHash.sha256(sorted(secret.getData()) + "|" + sorted(secret.getStringData()))));
            secret.setStringData(null);
        }
        return secret;
    }

    private static void withoutLastApplied(ObjectMeta metadata) {
        if (metadata != null
                && metadata.getAnnotations() != null
                && metadata.getAnnotations().containsKey(LAST_APPLIED)) {
            Map<String, String> annotations = new LinkedHashMap<>(metadata.getAnnotations());
            annotations.remove(LAST_APPLIED);
            metadata.setAnnotations(annotations);
        }
    }

    private static boolean digestOnly(Map<String, String> data, Map<String, String> other) {
        return (other == null || other.isEmpty()) && data != null && data.size() == 1 && data.containsKey(DATA_DIGEST);
    }

    /** Names of the ConfigMaps {@code template} references. */
    public static Set<String> configMaps(PodTemplateSpec template) {
        return collect(
                template,
                c -> Stream.concat(
                        c.getEnv().stream()
                                .filter(e -> e.getValueFrom() != null
                                        && e.getValueFrom().getConfigMapKeyRef() != null)
                                .map(e -> e.getValueFrom().getConfigMapKeyRef().getName()),
                        c.getEnvFrom().stream()
                                .filter(e -> e.getConfigMapRef() != null)
                                .map(e -> e.getConfigMapRef().getName())),
                v -> Stream.concat(
                        Stream.ofNullable(v.getConfigMap()).map(cm -> cm.getName()),
                        Stream.ofNullable(v.getProjected())
                                .flatMap(p -> p.getSources().stream())
                                .filter(s -> s.getConfigMap() != null)
                                .map(s -> s.getConfigMap().getName())));
    }

    /** Names of the Secrets {@code template} references. */
    public static Set<String> secrets(PodTemplateSpec template) {
        return collect(
                template,
                c -> Stream.concat(
                        c.getEnv().stream()
                                .filter(e -> e.getValueFrom() != null
                                        && e.getValueFrom().getSecretKeyRef() != null)
                                .map(e -> e.getValueFrom().getSecretKeyRef().getName()),
                        c.getEnvFrom().stream()
                                .filter(e -> e.getSecretRef() != null)
                                .map(e -> e.getSecretRef().getName())),
                v -> Stream.concat(
                        Stream.ofNullable(v.getSecret()).map(s -> s.getSecretName()),
                        Stream.ofNullable(v.getProjected())
                                .flatMap(p -> p.getSources().stream())
                                .filter(s -> s.getSecret() != null)
                                .map(s -> s.getSecret().getName())));
    }

    /**
     * A digest of the referenced objects' data (or of the data digests they hold, as cached); a
     * missing object counts as its own value, so that creating it later also makes a new revision.
     */
    public static String digest(
            PodTemplateSpec template, Map<String, ConfigMap> configMaps, Map<String, Secret> secrets) {
        StringBuilder text = new StringBuilder();
        for (String name : configMaps(template)) {
            ConfigMap cm = configMaps.get(name);
            text.append("configmap/")
                    .append(name)
                    .append('=')
                    .append(cm == null ? "<missing>" : sorted(cm.getData()) + "|" + sorted(cm.getBinaryData()))
                    .append('\n');
        }
        for (String name : secrets(template)) {
            Secret secret = secrets.get(name);
            text.append("secret/")
                    .append(name)
                    .append('=')
                    .append(
                            secret == null
                                    ? "<missing>"
                                    : sorted(secret.getData()) + "|" + sorted(secret.getStringData()))
                    .append('\n');
        }
        return text.isEmpty() ? "" : PodTemplateHash.sha256(text.toString());
    }

    private static SortedMap<String, String> sorted(Map<String, String> data) {
        return data == null ? new TreeMap<>() : new TreeMap<>(data);
    }

    private static Set<String> collect(
            PodTemplateSpec template,
            Function<Container, Stream<String>> fromContainer,
            Function<Volume, Stream<String>> fromVolume) {
        Optional<PodSpec> spec = Optional.ofNullable(template).map(PodTemplateSpec::getSpec);
        Set<String> names = new TreeSet<>();
        spec.ifPresent(s -> {
            Stream.concat(s.getContainers().stream(), s.getInitContainers().stream())
                    .flatMap(fromContainer)
                    .filter(java.util.Objects::nonNull)
                    .forEach(names::add);
            s.getVolumes().stream()
                    .flatMap(fromVolume)
                    .filter(java.util.Objects::nonNull)
                    .forEach(names::add);
        });
        return names;
    }
}
