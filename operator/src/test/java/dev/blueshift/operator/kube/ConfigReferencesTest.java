package dev.blueshift.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReferencesTest {
    private final PodTemplateSpec template = new PodTemplateSpecBuilder()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("app:1")
            .addNewEnv()
            .withName("MODE")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("mode", "settings", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef("token", "api-token", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("PLAIN")
            .withValue("x")
            .endEnv()
            .addNewEnvFrom()
            .withNewConfigMapRef("flags", false)
            .endEnvFrom()
            .endContainer()
            .addNewInitContainer()
            .withName("init")
            .withImage("init:1")
            .addNewEnvFrom()
            .withNewSecretRef("init-secret", true)
            .endEnvFrom()
            .endInitContainer()
            .addNewVolume()
            .withName("conf")
            .withNewConfigMap()
            .withName("files")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("tls")
            .withNewSecret()
            .withSecretName("tls-cert")
            .endSecret()
            .endVolume()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .build();

    @Test
    void findsConfigMapsInEnvEnvFromAndVolumes() {
        assertThat(ConfigReferences.configMaps(template)).containsExactly("files", "flags", "settings");
    }

    @Test
    void findsSecretsInEnvEnvFromAndVolumesOfAllContainers() {
        assertThat(ConfigReferences.secrets(template)).containsExactly("api-token", "init-secret", "tls-cert");
    }

    @Test
    void aTemplateWithoutReferencesHasAnEmptyDigest() {
        PodTemplateSpec plain = new PodTemplateSpecBuilder()
                .withNewSpec()
                .addNewContainer()
                .withName("a")
                .withImage("a")
                .endContainer()
                .endSpec()
                .build();
        assertThat(ConfigReferences.digest(plain, Map.of(), Map.of())).isEmpty();
    }

    @Test
    void digestChangesWithTheDataOfAReferencedObjectAndOnlyThen() {
        Map<String, ConfigMap> v1 = Map.of("settings", configMap("settings", "mode", "fast"));
        Map<String, ConfigMap> v2 = Map.of("settings", configMap("settings", "mode", "safe"));
        Map<String, ConfigMap> unrelated =
                Map.of("settings", configMap("settings", "mode", "fast"), "other", configMap("other", "a", "b"));
        Map<String, Secret> secrets = Map.of(
                "api-token",
                new SecretBuilder()
                        .withNewMetadata()
                        .withName("api-token")
                        .endMetadata()
                        .addToData("token", "c2VjcmV0")
                        .build());
        String first = ConfigReferences.digest(template, v1, secrets);
        assertThat(ConfigReferences.digest(template, v2, secrets)).isNotEqualTo(first);
        assertThat(ConfigReferences.digest(template, unrelated, secrets)).isEqualTo(first);
        assertThat(ConfigReferences.digest(template, v1, Map.of()))
                .as("a missing Secret counts")
                .isNotEqualTo(first);
    }

    @Test
    void theCacheKeepsOnlyADigestOfTheDataWhichStillTellsDataApart() {
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName("api-token")
                .endMetadata()
                .addToData("token", "c2VjcmV0")
                .addToStringData("extra", "plain")
                .build();
        Secret cached = ConfigReferences.keepingDataDigest(secret);
        assertThat(cached.getData()).containsOnlyKeys(ConfigReferences.DATA_DIGEST);
        assertThat(cached.getData().toString()).doesNotContain("c2VjcmV0");
        assertThat(cached.getStringData()).isNull();
        String digest = cached.getData().get(ConfigReferences.DATA_DIGEST);
        assertThat(ConfigReferences.keepingDataDigest(cached).getData())
                .as("idempotent")
                .containsEntry(ConfigReferences.DATA_DIGEST, digest);

        ConfigMap fast = ConfigReferences.keepingDataDigest(configMap("settings", "mode", "fast"));
        ConfigMap fastAgain = ConfigReferences.keepingDataDigest(configMap("settings", "mode", "fast"));
        ConfigMap safe = ConfigReferences.keepingDataDigest(configMap("settings", "mode", "safe"));
        assertThat(fast.getData()).isEqualTo(fastAgain.getData()).isNotEqualTo(safe.getData());
        Map<String, Secret> secrets = Map.of("api-token", cached);
        assertThat(ConfigReferences.digest(template, Map.of("settings", fast), secrets))
                .isEqualTo(ConfigReferences.digest(template, Map.of("settings", fastAgain), secrets))
                .isNotEqualTo(ConfigReferences.digest(template, Map.of("settings", safe), secrets));
    }

    @Test
    void theCacheDropsKubectlsLastAppliedConfigurationWhichHoldsTheDataInPlainTextAndKeepsOtherAnnotations() {
        String applied =
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"api-token\"},\"stringData\":{\"token\":\"hunter2\"}}";
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName("api-token")
                .addToAnnotations(ConfigReferences.LAST_APPLIED, applied)
                .addToAnnotations("team", "payments")
                .endMetadata()
                .addToData("token", "aHVudGVyMg==")
                .build();
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .addToAnnotations(ConfigReferences.LAST_APPLIED, "{\"data\":{\"mode\":\"fast\"}}")
                .endMetadata()
                .addToData("mode", "fast")
                .build();

        Secret cached = ConfigReferences.keepingDataDigest(secret);
        ConfigMap cachedCm = ConfigReferences.keepingDataDigest(cm);

        assertThat(cached.getMetadata().getAnnotations()).containsExactly(Map.entry("team", "payments"));
        assertThat(cached.toString()).doesNotContain("hunter2").doesNotContain("aHVudGVyMg");
        assertThat(cachedCm.getMetadata().getAnnotations()).isEmpty();
        assertThat(cachedCm.toString()).doesNotContain("fast");
        // Idempotent, and the data digest is the same with or without the annotation.
        String digest = cached.getData().get(ConfigReferences.DATA_DIGEST);
        assertThat(ConfigReferences.keepingDataDigest(cached).getMetadata().getAnnotations())
                .containsExactly(Map.entry("team", "payments"));
        assertThat(ConfigReferences.keepingDataDigest(cached).getData())
                .containsExactly(Map.entry(ConfigReferences.DATA_DIGEST, digest));
        Secret unannotated = new SecretBuilder()
                .withNewMetadata()
                .withName("api-token")
                .endMetadata()
                .addToData("token", "aHVudGVyMg==")
                .build();
        assertThat(ConfigReferences.keepingDataDigest(unannotated).getData())
                .containsExactly(Map.entry(ConfigReferences.DATA_DIGEST, digest));
        // An object without annotations stays without.
        assertThat(ConfigReferences.keepingDataDigest(configMap("plain", "a", "b"))
                        .getMetadata()
                        .getAnnotations())
                .isNullOrEmpty();
    }

    private static ConfigMap configMap(String name, String key, String value) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData(key, value)
                .build();
    }
}
