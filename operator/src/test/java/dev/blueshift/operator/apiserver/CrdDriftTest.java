package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.support.CrdFile;
import dev.blueshift.operator.support.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD in crds/, and its copy in the Helm chart, must be what the Java classes generate. `make crds` runs this test
 * with -Dblueshift.crds.update=true to rewrite the file.
 */
class CrdDriftTest {
    @Test
    void committedCrdMatchesTheJavaClasses() throws Exception {
        String generated = CrdFile.generate();
        for (Path copy : List.of(RepoPaths.crd(), RepoPaths.helmChartCrd())) {
            if (Boolean.getBoolean("blueshift.crds.update")) {
                Files.createDirectories(copy.getParent());
                Files.writeString(copy, generated);
            }
            assertThat(copy).exists();
            assertThat(Files.readString(copy))
                    .as(
                            "%s is stale: run `make crds` and commit the result",
                            RepoPaths.root().relativize(copy))
                    .isEqualTo(generated);
        }
    }
}
