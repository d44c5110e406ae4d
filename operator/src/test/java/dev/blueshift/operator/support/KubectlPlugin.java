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

  /** What the plugin printed for {@code args} in {@code namespace}; it must succeed. */
  public static String run(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of(RepoPaths.root().resolve("plugin/kubectl-blueshift").toString(),
        "--kubeconfig", LocalControlPlane.ensure().toString(), "-n", namespace));
    command.addAll(List.of(args));
    return exec(command, kubectl());
  }

  /** The local control plane's kubectl binary (hack/cluster.sh kubectl). */
  public static synchronized String kubectl() {
    if (kubectl == null) {
      kubectl = exec(List.of("bash", RepoPaths.root().resolve("hack/cluster.sh").toString(), "kubectl"), null).trim();
    }
    return kubectl;
  }

  private static String exec(List<String> command, String kubectlBinary) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (kubectlBinary != null) {
      builder.environment().put("KUBECTL", kubectlBinary);
    }
    try {
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("%s printed: %s", command, out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
