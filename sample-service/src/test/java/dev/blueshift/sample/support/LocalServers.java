package dev.blueshift.sample.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Redis and PostgreSQL servers of hack/sample-deps.sh: started through that script when
 * they do not answer, so that a test run on a fresh machine needs only `hack/sample-deps.sh install`.
 */
public final class LocalServers {
    public static final int REDIS_PORT = intEnv("SAMPLE_REDIS_PORT", 16379);
    public static final int POSTGRES_PORT = intEnv("SAMPLE_PG_PORT", 15432);
    public static final String POSTGRES_USER = env("SAMPLE_PG_USER", "blueshift");
    public static final String POSTGRES_DATABASE = env("SAMPLE_PG_DATABASE", "catalog");

    private LocalServers() {}

    public static synchronized void ensureRunning() {
        if (listening(REDIS_PORT) && listening(POSTGRES_PORT)) {
            return;
        }
        run(List.of("bash", script().toString(), "up"));
        if (!listening(REDIS_PORT) || !listening(POSTGRES_PORT)) {
            throw new IllegalStateException("hack/sample-deps.sh up ran, yet Redis (" + REDIS_PORT + ") or PostgreSQL ("
                    + POSTGRES_PORT + ") does not listen on 127.0.0.1");
        }
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + POSTGRES_PORT + "/" + POSTGRES_DATABASE;
    }

    public static String redisUrl(int port) {
        return "redis://127.0.0.1:" + port;
    }

    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("hack/sample-deps.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "hack/sample-deps.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, Integer.toString(fallback)));
    }
}
