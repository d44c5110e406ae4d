package dev.blueshift.sample.support;

import java.nio.file.Path;
import java.util.List;

/** A Redis server of its own on a given port, which a test may stop and start again. */
public final class DisposableRedis {
    private DisposableRedis() {}

    public static void start(int port) {
        Path dir = Path.of("target").toAbsolutePath();
        LocalServers.run(List.of(
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--daemonize",
                "yes",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--pidfile",
                dir.resolve("redis-" + port + ".pid").toString(),
                "--logfile",
                dir.resolve("redis-" + port + ".log").toString()));
        org.awaitility.Awaitility.await().until(() -> LocalServers.listening(port));
    }

    /** Makes the server hold every client's commands, unanswered, for this long (CLIENT PAUSE). */
    public static void pause(int port, java.time.Duration duration) {
        LocalServers.run(List.of(
                "redis-cli",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "client",
                "pause",
                Long.toString(duration.toMillis()),
                "ALL"));
    }

    public static void stop(int port) {
        if (LocalServers.listening(port)) {
            LocalServers.run(
                    List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "shutdown", "nosave"));
        }
        org.awaitility.Awaitility.await().until(() -> !LocalServers.listening(port));
    }
}
