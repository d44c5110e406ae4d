package dev.blueshift.operator.crash;

import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged operator ({@code operator/target/quarkus-app/quarkus-run.jar}) as a process of its
 * own, in the prod profile (leader election on), as a Pod runs it: started, killed with SIGKILL,
 * stopped with SIGSTOP and continued, and started again. Its log goes to
 * {@code operator/target/crash/<identity>.log}, appended across restarts.
 *
 * <p>The jar must be at least as new as every compiled class of the operator: a suite run against
 * an older build would test code that is not the code under review. {@code mvn verify} packages
 * before the failsafe phase that runs these suites, so there it always is.
 */
public final class OperatorProcess implements AutoCloseable {
    /** The JVM flags of the crash suites: a small heap, quick to start. */
    static final List<String> SUITE_JVM_FLAGS = List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String identity;
    private final Map<String, String> settings;
    private final List<String> jvmFlags;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private int starts;
    private long logOffset;

    /**
     * @param identity the leader-election identity (HOSTNAME, as in a Pod): a restart with the same
     *     identity is the same Pod's container restarted, which takes its Lease back at once
     * @param settings operator settings, passed as system properties
     */
    OperatorProcess(String identity, Map<String, String> settings) {
        this(identity, settings, SUITE_JVM_FLAGS);
    }

    /**
     * @param jvmFlags the JVM's flags (heap, GC, ...), before the settings; the benchmarks pass the
     *     chart's
     */
    public OperatorProcess(String identity, Map<String, String> settings, List<String> jvmFlags) {
        this(identity, settings, jvmFlags, Map.of());
    }

    /** @param environment further environment variables of the process (the benchmarks pass the chart's) */
    public OperatorProcess(
            String identity, Map<String, String> settings, List<String> jvmFlags, Map<String, String> environment) {
        this.identity = identity;
        this.settings = Map.copyOf(settings);
        this.jvmFlags = List.copyOf(jvmFlags);
        this.environment = Map.copyOf(environment);
        this.log = RepoPaths.root().resolve("operator/target/crash/" + identity + ".log");
    }

    public static Path jar() {
        Path jar = RepoPaths.root().resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    jar
                            + " is missing: these suites run the packaged operator; run `mvn -pl operator verify` (or make crash)");
        }
        Path classes = RepoPaths.root().resolve("operator/target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            long built = Files.getLastModifiedTime(RepoPaths.root().resolve("operator/target/quarkus-app/app"))
                    .toMillis();
            for (Path jarFile : (Iterable<Path>)
                    Files.list(RepoPaths.root().resolve("operator/target/quarkus-app/app"))::iterator) {
                built = Math.max(built, Files.getLastModifiedTime(jarFile).toMillis());
            }
            long newestClass = files.filter(p -> p.toString().endsWith(".class"))
                    .mapToLong(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toMillis();
                        } catch (IOException e) {
                            return Long.MAX_VALUE;
                        }
                    })
                    .max()
                    .orElse(0);
            if (newestClass > built + 1000) {
                throw new IllegalStateException(
                        jar + " is older than target/classes: package again (`mvn -pl operator verify` runs"
                                + " these suites after packaging)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot compare " + jar + " with target/classes", e);
        }
        return jar;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(identity + " already runs");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmFlags);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "==== start " + (++starts) + " of " + identity + " at " + java.time.Instant.now() + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + log, e);
        }
        try {
            logOffset = Files.size(log);
        } catch (IOException e) {
            logOffset = 0;
        }
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.putAll(environment);
        env.put("KUBECONFIG", LocalControlPlane.ensure().toString());
        env.put("HOSTNAME", identity);
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_REGION", "us-east-1");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator " + identity, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, the Lease is not released. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Started since its last start: it holds the Lease and its controller processes events. */
    public synchronized boolean reconciling() {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logOffset);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("Started event processing");
        } catch (IOException e) {
            return false;
        }
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    void signal(String signal) {
        try {
            int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited " + rc);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + identity, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to exit by itself; true if it did. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    public String identity() {
        return identity;
    }

    public Path log() {
        return log;
    }

    /** The log's lines that contain {@code text}. */
    public List<String> logLines(String text) {
        try {
            return Files.readAllLines(log).stream()
                    .filter(l -> l.contains(text))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The JDK that runs the packaged operator: {@code blueshift.operator.java-home} when set (the
     * benchmark runs the image's Java version), else the test JVM's.
     */
    public static Path javaHome() {
        return Path.of(System.getProperty("blueshift.operator.java-home", System.getProperty("java.home")));
    }

    private static String javaBinary() {
        return javaHome().resolve("bin").resolve("java").toString();
    }

    @Override
    public void close() {
        kill();
    }
}
