package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.support.CrdFile;
import dev.blueshift.operator.support.RepoPaths;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD in crds/ must be what the Java classes generate. `make crds` runs this test
 * with -Dblueshift.crds.update=true to rewrite the file.
 */
class CrdDriftTest {
  @Test
  void committedCrdMatchesTheJavaClasses() throws Exception {
    String generated = CrdFile.generate();
    if (Boolean.getBoolean("blueshift.crds.update")) {
      Files.createDirectories(RepoPaths.crd().getParent());
      Files.writeString(RepoPaths.crd(), generated);
    }
    assertThat(RepoPaths.crd()).exists();
    assertThat(Files.readString(RepoPaths.crd()))
        .as("crds/ is stale: run `make crds` and commit the result")
        .isEqualTo(generated);
  }
}
