package dev.blueshift.operator.support;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The real Prometheus server the analysis tests query: started by `hack/prometheus.sh up` when it
 * is not answering, scraping every second the {@link ScrapeTarget}s the tests register.
 */
public final class PrometheusServer {
    private static String address;
    private static Path targets;

    private PrometheusServer() {}

    /** Starts it if needed; returns its base URL. */
    public static synchronized String ensure() {
        if (address == null) {
            run("up");
            targets = Path.of(run("targets-dir").trim());
            address = run("address").trim();
        }
        return address;
    }

    /** Its base URL, without starting it (for settings made before any test runs). */
    public static String configuredAddress() {
        return run("address").trim();
    }

    /** The directory of file_sd target files Prometheus watches. */
    public static Path targetsDir() {
        ensure();
        return targets;
    }

    private static String run(String command) {
        try {
            Process process = new ProcessBuilder("bash", "hack/prometheus.sh", command)
                    .directory(RepoPaths.root().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(
                        "hack/prometheus.sh " + command + " failed with exit code " + process.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run hack/prometheus.sh " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
