package dev.blueshift.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The top-level packages of the operator's main code (aws, analysis, config, reconcile, ...) depend
 * on each other one way only: a reader can learn them bottom-up. Read from the sources (imports and
 * fully qualified names), so a new loop fails here, naming the packages and a file on each side.
 */
class PackageDependenciesTest {
    private static final Path ROOT = Path.of("src/main/java/dev/blueshift/operator");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.blueshift\\.operator\\.([a-z0-9_]+)\\.");

    /** package -> the packages it uses -> a file that uses it. */
    private static Map<String, Map<String, String>> dependencies() {
        Map<String, Map<String, String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = ROOT.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the root package: the application's entry points
                }
                String from = relative.getName(0).toString();
                Map<String, String> uses = deps.computeIfAbsent(from, k -> new TreeMap<>());
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("package ")) {
                        continue;
                    }
                    Matcher m = REFERENCE.matcher(line);
                    while (m.find()) {
                        if (!m.group(1).equals(from)) {
                            uses.putIfAbsent(m.group(1), relative.toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deps;
    }

    @Test
    void theTopLevelPackagesHaveNoImportLoop() {
        Map<String, Map<String, String>> deps = dependencies();
        assertThat(deps).containsKeys("aws", "analysis", "config");
        List<String> loops = new ArrayList<>();
        for (String start : deps.keySet()) {
            // A path back to start through its dependencies is a loop.
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.push(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                String last = path.get(path.size() - 1);
                for (Map.Entry<String, String> use :
                        deps.getOrDefault(last, Map.of()).entrySet()) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(use.getKey());
                    if (use.getKey().equals(start)) {
                        loops.add(describe(longer, deps));
                    } else if (seen.add(use.getKey())) {
                        paths.push(longer);
                    }
                }
            }
        }
        assertThat(loops).as("import loops between top-level packages").isEmpty();
    }

    @Test
    void awsAndAnalysisGoOneWayAndTheSettingsDependOnNothingOfOurs() {
        Map<String, Map<String, String>> deps = dependencies();
        assertThat(deps.get("aws"))
                .as("aws/ (the AWS adapters) never uses analysis/")
                .doesNotContainKey("analysis");
        assertThat(deps.get("config"))
                .as("config/ (the settings) uses no package of ours")
                .isEmpty();
    }

    private static String describe(List<String> loop, Map<String, Map<String, String>> deps) {
        StringBuilder s = new StringBuilder(String.join(" -> ", loop)).append(" (");
        for (int i = 0; i + 1 < loop.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(deps.get(loop.get(i)).get(loop.get(i + 1)));
        }
        return s.append(")").toString();
    }
}
