package dev.blueshift.operator.support;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Generates the CRD YAML from the Java classes: the single source of crds/. */
public final class CrdFile {
  /** kubectl shows columns in list order; the generator sorts them, so put them back in reading order. */
  private static final List<String> COLUMN_ORDER = List.of("Phase", "Desired", "Ready", "Age");

  private CrdFile() {}

  public static String generate() throws IOException {
    Path dir = Files.createTempDirectory("blueshift-crd");
    try {
      new CRDGenerator()
          .inOutputDir(dir.toFile())
          .forCRDVersions("v1")
          .withPostProcessor(new CRDPostProcessor() {
            @Override
            public HasMetadata process(HasMetadata crd, String version) {
              ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
                  .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> COLUMN_ORDER.indexOf(c.getName()))));
              return crd;
            }
          })
          .customResourceClasses(MicroserviceDeployment.class)
          .generate();
      return Files.readString(dir.resolve(RepoPaths.crd().getFileName()));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
