package dev.blueshift.operator.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths inside the repository, found from the working directory Maven gives the tests. */
public final class RepoPaths {
    private RepoPaths() {}

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("hack/cluster.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (hack/cluster.sh) above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public static Path crd() {
        return root().resolve("crds/microservicedeployments.blueshift.dev-v1.yml");
    }

    /** Helm installs CRDs from the chart's own crds/ folder: a copy of the one above. */
    public static Path helmChartCrd() {
        return root().resolve("helm/blueshift/crds/microservicedeployments.blueshift.dev-v1.yml");
    }
}
