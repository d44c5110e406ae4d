package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KubectlPlugin;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestImage;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Secret the operator caches (an MSD reads it) leaves nothing of its value in the operator's
 * heap: not in the cached object's data (a digest replaces it), not in kubectl's
 * last-applied-configuration annotation (dropped), not anywhere else that is still reachable.
 *
 * <p>The operator runs in this JVM, so a heap dump of this JVM is a heap dump of the operator. The
 * value is made by a shell and applied by kubectl; this JVM reads it only after the dump, and the
 * tests' own Kubernetes client never reads the Secret, so whatever the dump holds, the operator holds.
 */
@ClusterTest
class CachedSecretHeapIT {
    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void aSecretTheOperatorCachesLeavesNoTraceOfItsValueInTheHeap() throws Exception {
        Path dir = Files.createTempDirectory("blueshift-secret-heap-");
        Path markerFile = dir.resolve("marker");
        Path dump = dir.resolve("operator.hprof");
        try {
            applySecretWithARandomValue(markerFile);
            MsdFixture msds = new MsdFixture(LocalControlPlane.sharedClient(), namespace.name());
            MicroserviceDeployment msd = Msds.rolling(namespace.name(), "vault-reader", 1, TestImage.IMAGE);
            msd.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .add(new EnvVarBuilder()
                            .withName("API_TOKEN")
                            .withNewValueFrom()
                            .withNewSecretKeyRef("token", "api-token", false)
                            .endValueFrom()
                            .build());
            msds.create(msd);
            // The revision includes the digest of the Secret's data: the operator has read it from its cache.
            msds.awaitStatus("vault-reader", "a revision", s -> s.getCurrentRevision() != null);

            // Live objects only (a full GC first): garbage would be gone at the next collection anyway.
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);

            String marker = Files.readString(markerFile).trim();
            String base64 = Base64.getEncoder().encodeToString(marker.getBytes(StandardCharsets.US_ASCII));
            // A heap dump holds a String's Latin-1 bytes as they are and a char[] as UTF-16 (big-endian).
            Map<String, byte[]> forms = new LinkedHashMap<>();
            forms.put("plain", marker.getBytes(StandardCharsets.US_ASCII));
            forms.put("base64", base64.getBytes(StandardCharsets.US_ASCII));
            forms.put("plain, UTF-16", marker.getBytes(StandardCharsets.UTF_16BE));
            forms.put("base64, UTF-16", base64.getBytes(StandardCharsets.UTF_16BE));

            // What the operator's cache should hold instead: the digest of the data. Found, it shows that
            // the dump holds the operator's cached copy of this very Secret, so the search was not vacuous.
            String digest = ConfigReferences.keepingDataDigest(
                            new SecretBuilder().addToData("token", base64).build())
                    .getData()
                    .get(ConfigReferences.DATA_DIGEST);
            forms.put("digest (expected)", digest.getBytes(StandardCharsets.US_ASCII));

            Map<String, String> found = search(dump, forms);

            System.out.printf(
                    "[secret-heap] searched a heap dump of %d MB for %s; found: %s%n",
                    Files.size(dump) >> 20, forms.keySet(), found.keySet());
            assertThat(found)
                    .as("what the heap dump holds of the Secret (with what surrounds it)")
                    .containsOnlyKeys("digest (expected)");
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(markerFile);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * kubectl apply of a Secret whose value a shell draws and writes to {@code markerFile}: apply sets
     * the last-applied-configuration annotation (with stringData as given), as users' tools do.
     */
    private void applySecretWithARandomValue(Path markerFile) throws IOException, InterruptedException {
        String script = """
        set -euo pipefail
        marker="$(head -c 24 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
        [ "${#marker}" -ge 20 ]
        printf '%s' "$marker" > "$MARKER_FILE"
        "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" apply -f - >/dev/null <<EOF
        apiVersion: v1
        kind: Secret
        metadata:
          name: api-token
          namespace: $NAMESPACE
        stringData:
          token: "$marker"
        EOF
        """;
        ProcessBuilder shell = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        shell.environment()
                .putAll(Map.of(
                        "MARKER_FILE",
                        markerFile.toString(),
                        "KUBECTL",
                        KubectlPlugin.kubectl(),
                        "KUBECONFIG_FILE",
                        LocalControlPlane.ensure().toString(),
                        "NAMESPACE",
                        namespace.name()));
        Process process = shell.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("kubectl apply of the Secret: %s", output)
                .isZero();
    }

    /** Each form found in the file, with what surrounds its first occurrence (to tell what holds it). */
    private static Map<String, String> search(Path file, Map<String, byte[]> forms) throws IOException {
        int longest = forms.values().stream().mapToInt(f -> f.length).max().orElseThrow();
        int context = 400;
        Map<String, String> found = new LinkedHashMap<>();
        byte[] chunk = new byte[16 << 20];
        long chunkStart = 0;
        int carried = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.readNBytes(chunk, carried, chunk.length - carried)) > 0) {
                int length = carried + read;
                for (var form : forms.entrySet()) {
                    if (found.containsKey(form.getKey())) {
                        continue;
                    }
                    int at = indexOf(chunk, length, form.getValue());
                    if (at >= 0) {
                        int from = Math.max(0, at - context);
                        int to = Math.min(length, at + form.getValue().length + context);
                        found.put(
                                form.getKey(),
                                "at byte " + (chunkStart + at) + ": ..." + printable(chunk, from, to) + "...");
                    }
                }
                // Keep the tail (and some context) so that a form across two chunks is still found.
                int keep = Math.min(length, longest - 1 + context);
                System.arraycopy(chunk, length - keep, chunk, 0, keep);
                chunkStart += length - keep;
                carried = keep;
            }
        }
        return found;
    }

    private static int indexOf(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i <= length - pattern.length; i++) {
            if (data[i] != pattern[0]) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The bytes as text, '.' for what is not printable ASCII (UTF-16 text reads with a '.' between letters). */
    private static String printable(byte[] data, int from, int to) {
        StringBuilder text = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            text.append(data[i] >= 0x20 && data[i] < 0x7f ? (char) data[i] : '.');
        }
        return text.toString();
    }
}
