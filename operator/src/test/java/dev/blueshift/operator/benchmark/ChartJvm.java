package dev.blueshift.operator.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.blueshift.operator.support.RepoPaths;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM the chart runs, read from where it is defined rather than copied: the image's entrypoint
 * flags ({@code hack/images.sh}, {@code --config.entrypoint=-...}), the container's memory limit
 * ({@code helm/blueshift/values.yaml} {@code resources.limits.memory}), the chart's {@code jvmOptions}
 * (its {@code JAVA_TOOL_OPTIONS}), any {@code JAVA_TOOL_OPTIONS} in its {@code env} value and its
 * {@code mallocArenaMax} (the container's {@code MALLOC_ARENA_MAX}). A process on this machine sees the
 * host's memory and CPUs, not a container's, so the limit becomes {@code -XX:MaxRAM} (the heap
 * percentages then give the container's heap) and, as the JVM's ergonomics pick in a container of
 * less than 1792 MiB without a GC flag, {@code -XX:+UseSerialGC}.
 */
final class ChartJvm {
    private static final Pattern ENTRYPOINT_FLAG = Pattern.compile("--config\\.entrypoint=(-\\S+)");
    private static final long SERVER_CLASS_MEMORY = 1792L << 20;

    final List<String> entrypointFlags;
    final long memoryLimitBytes;
    final String memoryLimit;
    final List<String> javaToolOptions;
    /** The container's environment that changes how the JVM uses memory ({@code mallocArenaMax}). */
    final Map<String, String> environment;

    private ChartJvm(
            List<String> entrypointFlags,
            String memoryLimit,
            long memoryLimitBytes,
            List<String> javaToolOptions,
            Map<String, String> environment) {
        this.entrypointFlags = entrypointFlags;
        this.memoryLimit = memoryLimit;
        this.memoryLimitBytes = memoryLimitBytes;
        this.javaToolOptions = javaToolOptions;
        this.environment = environment;
    }

    static ChartJvm read() {
        Path root = RepoPaths.root();
        try {
            List<String> entrypoint = new ArrayList<>();
            for (String line : Files.readAllLines(root.resolve("hack/images.sh"))) {
                Matcher m = ENTRYPOINT_FLAG.matcher(line);
                while (m.find()) {
                    // -jar ends the JVM's options; the operator's and the sample's images share them
                    if (!"-jar".equals(m.group(1)) && !entrypoint.contains(m.group(1))) {
                        entrypoint.add(m.group(1));
                    }
                }
            }
            if (entrypoint.isEmpty()) {
                throw new IllegalStateException("no --config.entrypoint=-... flag in hack/images.sh");
            }
            JsonNode values = new ObjectMapper(new YAMLFactory())
                    .readTree(root.resolve("helm/blueshift/values.yaml").toFile());
            String limit =
                    values.path("resources").path("limits").path("memory").asText("");
            if (limit.isEmpty()) {
                throw new IllegalStateException("helm/blueshift/values.yaml has no resources.limits.memory");
            }
            List<String> toolOptions = new ArrayList<>(
                    Arrays.asList(values.path("jvmOptions").asText("").trim().split("\\s+")));
            for (JsonNode env : values.path("env")) {
                if ("JAVA_TOOL_OPTIONS".equals(env.path("name").asText())) {
                    toolOptions.addAll(
                            Arrays.asList(env.path("value").asText("").trim().split("\\s+")));
                }
            }
            toolOptions.removeIf(String::isEmpty);
            long bytes = Quantity.getAmountInBytes(new Quantity(limit)).longValue();
            Map<String, String> environment = new TreeMap<>();
            String arenas = values.path("mallocArenaMax").asText("");
            if (!arenas.isEmpty()) {
                environment.put("MALLOC_ARENA_MAX", arenas);
            }
            return new ChartJvm(List.copyOf(entrypoint), limit, bytes, List.copyOf(toolOptions), environment);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the chart's JVM settings", e);
        }
    }

    /** The flags for a process on this machine that runs as the chart's container would, then {@code extra}. */
    List<String> processFlags(List<String> extra) {
        List<String> flags = new ArrayList<>();
        flags.add("-XX:MaxRAM=" + memoryLimitBytes);
        flags.addAll(entrypointFlags);
        flags.addAll(javaToolOptions);
        flags.addAll(extra);
        boolean gcChosen = flags.stream().anyMatch(f -> f.matches("-XX:\\+Use\\w+GC"));
        if (!gcChosen && memoryLimitBytes < SERVER_CLASS_MEMORY) {
            flags.add(1, "-XX:+UseSerialGC");
        }
        // -Djava.io.tmpdir=/tmp is the container's read-only-root choice; harmless here
        return flags;
    }
}
