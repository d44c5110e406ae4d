package dev.blueshift.operator.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs a command from the repository's root and returns what it printed. For test conditions that
 * run before Quarkus starts and must not make a Kubernetes client of their own (see {@link KwokNodes}).
 */
public final class Processes {
    private Processes() {}

    /** Standard output of {@code command}; its standard error goes to the test's; a non-zero exit throws. */
    public static String output(String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(RepoPaths.root().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: exit " + process.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
