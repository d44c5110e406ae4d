package dev.blueshift.operator.support;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.MicroserviceDeploymentSpec;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Generates the CRD YAML from the Java classes: the single source of crds/. */
public final class CrdFile {
    /** kubectl shows columns in list order; the generator sorts them, so put them back in reading order. */
    private static final List<String> COLUMN_ORDER =
            List.of("Phase", "Active", "Preview", "Desired", "Ready", "Age", "Message");

    private CrdFile() {}

    /**
     * The fabric8 model of a PodSpec carries none of the API server's own checks; add, as plain
     * schema (no CEL cost), those a user most often gets wrong, so they fail at admission with the
     * field's path: every container needs a name and an image, ports are 1-65535.
     */
    static void tightenContainers(JSONSchemaProps root) {
        JSONSchemaProps podSpec = root.getProperties()
                .get("spec")
                .getProperties()
                .get("template")
                .getProperties()
                .get("spec");
        for (String list : List.of("containers", "initContainers")) {
            JSONSchemaProps container =
                    podSpec.getProperties().get(list).getItems().getSchema();
            container.setRequired(List.of("name", "image"));
            container.getProperties().get("name").setMinLength(1L);
            container.getProperties().get("image").setMinLength(1L);
            JSONSchemaProps port =
                    container.getProperties().get("ports").getItems().getSchema();
            for (String field : List.of("containerPort", "hostPort")) {
                port.getProperties().get(field).setMinimum(1.0);
                port.getProperties().get(field).setMaximum(65535.0);
            }
        }
    }

    /**
     * Every integer the operator reads into a Java int gets that range at admission. The API server
     * takes any int64 where the schema sets no maximum, and one MSD the operator cannot read stops its
     * informer, so it reconciles no MSD at all (RandomSpecsIT: progressDeadlineSeconds 99999999999).
     * Follows the schema and the Java classes side by side, so int64 fields (Long) keep their range.
     */
    static void boundJavaInts(JSONSchemaProps schema, java.lang.reflect.Type type) {
        Class<?> raw = rawClass(type);
        if (schema == null || raw == null) {
            return;
        }
        if ((raw == Integer.class || raw == int.class) && "integer".equals(schema.getType())) {
            if (schema.getMaximum() == null) {
                schema.setMaximum((double) Integer.MAX_VALUE);
            }
            if (schema.getMinimum() == null) {
                schema.setMinimum((double) Integer.MIN_VALUE);
            }
            return;
        }
        if (java.util.Collection.class.isAssignableFrom(raw) && schema.getItems() != null) {
            boundJavaInts(schema.getItems().getSchema(), typeArgument(type, 0));
            return;
        }
        if (java.util.Map.class.isAssignableFrom(raw)) {
            if (schema.getAdditionalProperties() != null) {
                boundJavaInts(schema.getAdditionalProperties().getSchema(), typeArgument(type, 1));
            }
            return;
        }
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, property) -> {
            java.lang.reflect.Field field = field(raw, name);
            if (field != null) {
                boundJavaInts(property, field.getGenericType());
            }
        });
    }

    private static Class<?> rawClass(java.lang.reflect.Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        return type instanceof java.lang.reflect.ParameterizedType p ? (Class<?>) p.getRawType() : null;
    }

    private static java.lang.reflect.Type typeArgument(java.lang.reflect.Type type, int index) {
        return type instanceof java.lang.reflect.ParameterizedType p && p.getActualTypeArguments().length > index
                ? p.getActualTypeArguments()[index]
                : null;
    }

    /** The field behind a JSON property: by its @JsonProperty name, else by its own name. */
    private static java.lang.reflect.Field field(Class<?> type, String property) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                com.fasterxml.jackson.annotation.JsonProperty json =
                        f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                if (json != null && property.equals(json.value()) || property.equals(f.getName())) {
                    return f;
                }
            }
        }
        return null;
    }

    /**
     * Conditions are a map keyed by type, as Kubernetes' own are: server-side apply merges them entry by
     * entry, and a second condition of one type is refused. The generator has no annotation for it.
     */
    static void conditionsAsMap(JSONSchemaProps root) {
        JSONSchemaProps conditions =
                root.getProperties().get("status").getProperties().get("conditions");
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
        conditions.getItems().getSchema().setRequired(List.of("type", "status"));
    }

    /**
     * The generator reads descriptions of properties only: the top-level type, spec and status get
     * theirs from the classes' {@link JsonClassDescription}, for `kubectl explain msd`.
     */
    static void describeTypes(JSONSchemaProps root) {
        root.setDescription(classDescription(MicroserviceDeployment.class));
        root.getProperties().get("spec").setDescription(classDescription(MicroserviceDeploymentSpec.class));
        root.getProperties().get("status").setDescription(classDescription(MicroserviceDeploymentStatus.class));
    }

    private static String classDescription(Class<?> type) {
        return type.getAnnotation(JsonClassDescription.class).value();
    }

    public static String generate() throws IOException {
        Path dir = Files.createTempDirectory("blueshift-crd");
        try {
            new CRDGenerator()
                    .inOutputDir(dir.toFile())
                    .forCRDVersions("v1")
                    .withPostProcessor(new CRDPostProcessor() {
                        @Override
                        public HasMetadata process(HasMetadata crd, String version) {
                            ((CustomResourceDefinition) crd)
                                    .getSpec()
                                    .getVersions()
                                    .forEach(v -> {
                                        v.getAdditionalPrinterColumns()
                                                .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) ->
                                                        COLUMN_ORDER.indexOf(c.getName())));
                                        tightenContainers(v.getSchema().getOpenAPIV3Schema());
                                        conditionsAsMap(v.getSchema().getOpenAPIV3Schema());
                                        describeTypes(v.getSchema().getOpenAPIV3Schema());
                                        boundJavaInts(
                                                v.getSchema()
                                                        .getOpenAPIV3Schema()
                                                        .getProperties()
                                                        .get("spec"),
                                                MicroserviceDeploymentSpec.class);
                                    });
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
