package dev.blueshift.operator.release.bluegreen;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.api.v1alpha1.status.ProgressStatus;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.kube.RevisionReplicaSetBuilder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.ObservedState;
import dev.blueshift.operator.release.PodCounts;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.PreviousStatus;
import dev.blueshift.operator.release.bluegreen.BlueGreenObservation.RollingDeployment;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * From Kubernetes objects to what the blue/green decision reads: the MSD's ReplicaSets by
 * revision, the revision of its current template, the status it carries over. Pure.
 */
public final class BlueGreenObservations {
    private BlueGreenObservations() {}

    /**
     * An MSD's blue/green release as observed.
     *
     * @param replicaSets the MSD's ReplicaSets by revision
     * @param revision the revision of the current template, and the collisions its name needed
     * @param digest the digest of the current template and the config it reads
     */
    public record ObservedRelease(
            BlueGreenObservation observation,
            Map<String, ReplicaSet> replicaSets,
            PodTemplateHash.Revision revision,
            String digest) {}

    /** What the decision reads; its stage verdicts are placeholders until the stages are judged. */
    public static ObservedRelease of(ObservedState observed, Instant now) {
        MicroserviceDeployment msd = observed.msd();
        MicroserviceDeploymentStatus status =
                Optional.ofNullable(msd.getStatus()).orElseGet(MicroserviceDeploymentStatus::new);
        Map<String, ReplicaSet> byRevision = observed.replicaSets().stream()
                .filter(rs -> rs.getMetadata().getLabels().containsKey(WorkloadLabels.REVISION))
                .collect(Collectors.toMap(
                        rs -> rs.getMetadata().getLabels().get(WorkloadLabels.REVISION),
                        rs -> rs,
                        (a, b) -> a,
                        LinkedHashMap::new));
        String configDigest =
                ConfigReferences.digest(msd.getSpec().getTemplate(), observed.configMaps(), observed.secrets());
        String digest = PodTemplateHash.digest(msd, configDigest);
        Map<String, String> digests = byRevision.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> Objects.requireNonNullElse(
                                e.getValue()
                                        .getMetadata()
                                        .getAnnotations()
                                        .get(RevisionReplicaSetBuilder.TEMPLATE_DIGEST),
                                "")));
        PodTemplateHash.Revision revision =
                PodTemplateHash.resolve(digest, Objects.requireNonNullElse(status.getCollisionCount(), 0), digests);
        BlueGreenObservation observation = new BlueGreenObservation(
                msd.getSpec().getReplicas(),
                msd.getSpec().getStrategy().blueGreenOrDefaults(),
                msd.getSpec().getRevisionHistoryLimit(),
                revision.name(),
                byRevision.values().stream()
                        .map(BlueGreenObservations::replicaSet)
                        .collect(Collectors.toMap(
                                ObservedReplicaSet::revision, o -> o, (a, b) -> a, LinkedHashMap::new)),
                previous(status, observed.activeService()),
                observed.deployment()
                        .map(d -> new RollingDeployment(
                                true,
                                PodCounts.ready(d),
                                RevisionReplicaSetBuilder.scaleDownAt(d).orElse(null)))
                        .orElse(RollingDeployment.NONE),
                Commands.from(msd.getMetadata().getAnnotations()),
                StageVerdict.PASSED,
                StageVerdict.PASSED,
                msd.getSpec().progressDeadlineSecondsOrDefault(),
                now);
        return new ObservedRelease(observation, byRevision, revision, digest);
    }

    static ObservedReplicaSet replicaSet(ReplicaSet rs) {
        Map<String, String> annotations = rs.getMetadata().getAnnotations();
        return new ObservedReplicaSet(
                rs.getMetadata().getLabels().get(WorkloadLabels.REVISION),
                PodCounts.desired(rs),
                Math.min(PodCounts.ready(rs), PodCounts.desired(rs)),
                PodCounts.statusCurrent(rs),
                Long.parseLong(annotations.getOrDefault(RevisionReplicaSetBuilder.REVISION_NUMBER, "0")),
                RevisionReplicaSetBuilder.scaleDownAt(rs).orElse(null),
                "true".equals(annotations.get(RevisionReplicaSetBuilder.RELEASED)));
    }

    /**
     * The status the decision carries over, with the revision the active Service selects now:
     * observed, not remembered, so that a lost status write cannot mislead.
     */
    private static PreviousStatus previous(MicroserviceDeploymentStatus status, Optional<Service> activeService) {
        return new PreviousStatus(
                status.getCurrentRevision(),
                status.getStableRevision(),
                activeService
                        .map(s -> s.getSpec().getSelector())
                        .map(sel -> sel.get(WorkloadLabels.REVISION))
                        .orElse(null),
                Optional.ofNullable(status.getPreviewReadyAt())
                        .map(Instant::parse)
                        .orElse(null),
                promotingRevision(status),
                status.getAbortedRevision(),
                status.getAbortReason(),
                podProgress(status.getLastProgress()));
    }

    /**
     * The revision being promoted. A status written before this field existed (an operator upgrade
     * mid-promotion) said so only by its phase.
     */
    private static String promotingRevision(MicroserviceDeploymentStatus status) {
        if (status.getPromotingRevision() != null) {
            return status.getPromotingRevision();
        }
        return status.getPhase() == Phase.Promoting ? status.getCurrentRevision() : null;
    }

    private static PodProgress podProgress(ProgressStatus status) {
        if (status == null || status.getRevision() == null || status.getSince() == null) {
            return null;
        }
        return new PodProgress(
                status.getRevision(),
                Optional.ofNullable(status.getReadyReplicas()).orElse(0),
                Instant.parse(status.getSince()));
    }
}
