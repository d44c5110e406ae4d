package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The ReplicaSet of one revision of a BlueGreen MSD: `<msd>-<revision>`, its Pods labelled with the revision. */
public final class RevisionReplicaSetBuilder {
    public static final String REVISION_NUMBER = "blueshift.dev/revision-number";
    public static final String TEMPLATE_DIGEST = "blueshift.dev/template-digest";
    public static final String SCALE_DOWN_AT = "blueshift.dev/scale-down-at";
    public static final String RELEASED = "blueshift.dev/released";
    /**
     * The user's template of this revision, as written in the MSD (JSON): what `kubectl blueshift
     * undo` puts back, so that the undone spec hashes to this very revision again. The ReplicaSet's
     * own template has the API server's defaults filled in and would hash differently.
     */
    public static final String SOURCE_TEMPLATE = "blueshift.dev/source-template";
    /** The environment variable through which the container learns its revision (downward API). */
    public static final String REVISION_ENV = "BLUESHIFT_REVISION";

    private RevisionReplicaSetBuilder() {}

    public static String name(MicroserviceDeployment msd, String revision) {
        return msd.getMetadata().getName() + "-" + revision;
    }

    /**
     * @param template the template of this revision: built from the spec for the current revision,
     *     taken from the existing ReplicaSet for older ones (the spec no longer has theirs)
     */
    public static ReplicaSet build(
            MicroserviceDeployment msd,
            String revision,
            String digest,
            String sourceTemplate,
            PodTemplateSpec template,
            int replicas,
            long revisionNumber,
            Instant scaleDownAt,
            boolean released) {
        ObjectMeta meta = OwnedObjectMeta.of(msd, name(msd, revision));
        meta.getLabels().put(WorkloadLabels.REVISION, revision);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(REVISION_NUMBER, Long.toString(revisionNumber));
        annotations.put(TEMPLATE_DIGEST, digest);
        if (sourceTemplate != null) {
            annotations.put(SOURCE_TEMPLATE, sourceTemplate);
        }
        if (scaleDownAt != null) {
            annotations.put(SCALE_DOWN_AT, scaleDownAt.toString());
        }
        if (released) {
            annotations.put(RELEASED, "true");
        }
        meta.setAnnotations(annotations);
        return new ReplicaSetBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withReplicas(replicas)
                .withSelector(new LabelSelectorBuilder()
                        .withMatchLabels(WorkloadLabels.revisionSelector(msd, revision))
                        .build())
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /** The pod template of {@code revision} for the current spec: our labels, the revision label and its env var. */
    public static PodTemplateSpec template(MicroserviceDeployment msd, String revision) {
        PodTemplateSpec labelled = RollingDeploymentBuilder.labelledTemplate(msd);
        PodTemplateSpecBuilder builder = new PodTemplateSpecBuilder(labelled)
                .editMetadata()
                .addToLabels(WorkloadLabels.REVISION, revision)
                .endMetadata();
        PodTemplateSpec template = builder.build();
        template.getSpec().getContainers().forEach(RevisionReplicaSetBuilder::exposeRevision);
        return template;
    }

    private static void exposeRevision(Container container) {
        boolean userSetIt = container.getEnv().stream().anyMatch(e -> REVISION_ENV.equals(e.getName()));
        if (!userSetIt) {
            EnvVar env = new EnvVarBuilder()
                    .withName(REVISION_ENV)
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.labels['" + WorkloadLabels.REVISION + "']")
                    .endFieldRef()
                    .endValueFrom()
                    .build();
            container.getEnv().add(env);
        }
    }

    /** The scale-down time kept on a ReplicaSet (or the Rolling Deployment); none when absent or not a time. */
    public static Optional<Instant> scaleDownAt(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(SCALE_DOWN_AT);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
