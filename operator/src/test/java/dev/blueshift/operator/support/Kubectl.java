package dev.blueshift.operator.support;

import java.util.ArrayList;
import java.util.List;

/** Runs plain kubectl against the test cluster in one namespace, as a user or a CI pipeline would. */
public final class Kubectl {
    private Kubectl() {}

    /** kubectl {@code args} in {@code namespace}: its exit code and what it printed (stdout and stderr). */
    public static KubectlPlugin.Result run(String namespace, String... args) {
        List<String> command = new ArrayList<>(
                List.of(KubectlPlugin.kubectl(), "--kubeconfig", KubectlPlugin.kubeconfig(), "-n", namespace));
        command.addAll(List.of(args));
        return KubectlPlugin.start(command, null);
    }
}
