package dev.blueshift.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs `kubectl blueshift` (plugin/kubectl-blueshift) against the local control plane, as a user would. */
public final class KubectlPlugin {
    private static String kubectl;

    private KubectlPlugin() {}

    /** The plugin's exit code and what it printed (stdout and stderr). */
    public record Result(int exitCode, String output) {}

    /** What the plugin printed for {@code args} in {@code namespace} (flags before the verb); it must succeed. */
    public static String run(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("--kubeconfig", kubeconfig(), "-n", namespace));
        command.addAll(List.of(args));
        Result result = execute("plugin/kubectl-blueshift", command);
        assertThat(result.exitCode())
                .as("kubectl-blueshift %s printed: %s", command, result.output())
                .isZero();
        return result.output();
    }

    /** The plugin run with exactly {@code args} (no flags added), whatever its exit code. */
    public static Result exec(String... args) {
        return execute("plugin/kubectl-blueshift", List.of(args));
    }

    /** The completion executable next to the plugin, as kubectl runs it: the words after `kubectl blueshift`. */
    public static Result complete(String... words) {
        return execute("plugin/kubectl_complete-blueshift", List.of(words));
    }

    /** The local control plane's kubeconfig file. */
    public static String kubeconfig() {
        return LocalControlPlane.ensure().toString();
    }

    private static Result execute(String executable, List<String> args) {
        List<String> command =
                new ArrayList<>(List.of(RepoPaths.root().resolve(executable).toString()));
        command.addAll(args);
        return start(command, kubectl());
    }

    /** The local control plane's kubectl binary (hack/cluster.sh kubectl). */
    public static synchronized String kubectl() {
        if (kubectl == null) {
            List<String> command =
                    List.of("bash", RepoPaths.root().resolve("hack/cluster.sh").toString(), "kubectl");
            Result result = start(command, null);
            assertThat(result.exitCode())
                    .as("%s printed: %s", command, result.output())
                    .isZero();
            kubectl = result.output().trim();
        }
        return kubectl;
    }

    /** Runs {@code command} (KUBECTL set to {@code kubectlBinary}, if given); its exit code and output. */
    static Result start(List<String> command, String kubectlBinary) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (kubectlBinary != null) {
            builder.environment().put("KUBECTL", kubectlBinary);
        }
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
