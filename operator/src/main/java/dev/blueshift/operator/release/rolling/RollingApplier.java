package dev.blueshift.operator.release.rolling;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.ConfigReferences;
import dev.blueshift.operator.kube.PodTemplateHash;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.kube.WorkloadLabels;
import dev.blueshift.operator.release.Announcement;
import dev.blueshift.operator.release.EventReason;
import dev.blueshift.operator.release.ObjectWriter;
import dev.blueshift.operator.release.ObservedState;
import dev.blueshift.operator.release.PodCounts;
import dev.blueshift.operator.release.StrategyOutcome;
import dev.blueshift.operator.release.bluegreen.Commands;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Applies the Rolling strategy: a Deployment and the active Service. */
public final class RollingApplier {
    private RollingApplier() {}

    public static StrategyOutcome reconcile(ObservedState observed, ObjectWriter writer) {
        MicroserviceDeployment msd = observed.msd();
        String configDigest =
                ConfigReferences.digest(msd.getSpec().getTemplate(), observed.configMaps(), observed.secrets());
        String revision = PodTemplateHash.revision(PodTemplateHash.digest(msd, configDigest), 0);
        Deployment applied = writer.apply(RollingRelease.desired(msd, configDigest), observed.deployment());
        Progress progress = RollingRelease.progress(msd, Optional.ofNullable(applied));

        // Switching from BlueGreen: the active Service stays on the revision that served until the
        // Deployment is fully ready, then the ReplicaSets and the preview Service go.
        Optional<String> held = heldRevision(observed);
        boolean switching = held.isPresent() && progress.phase() != Phase.Healthy;
        Map<String, String> selector =
                switching ? WorkloadLabels.revisionSelector(msd, held.get()) : WorkloadLabels.podSelector(msd);
        Service active = TrafficServiceBuilder.active(msd, selector);
        if (!ObservedState.selects(observed.activeService(), selector)) {
            writer.apply(active, observed.activeService());
        }
        List<Announcement> announcements = new ArrayList<>();
        if (!switching && !observed.replicaSets().isEmpty()) {
            observed.replicaSets().forEach(writer::delete);
            observed.previewService().ifPresent(writer::delete);
            announcements.add(new Announcement(
                    false,
                    EventReason.SwitchedToRolling,
                    "The Deployment is ready; the BlueGreen ReplicaSets were removed."));
        }
        Set<String> consumed = ignoredCommands(msd, announcements);
        return new StrategyOutcome(
                progress.reason(),
                RollingStatus.of(progress, revision, WorkloadLabels.format(selector)),
                announcements,
                consumed,
                Optional.empty(),
                Optional.empty());
    }

    /** The BlueGreen revision whose Pods still serve while the Deployment comes up, if any. */
    private static Optional<String> heldRevision(ObservedState observed) {
        return observed.activeService()
                .map(s -> s.getSpec().getSelector().get(WorkloadLabels.REVISION))
                .filter(revision -> observed.replicaSets().stream()
                        .anyMatch(rs ->
                                revision.equals(rs.getMetadata().getLabels().get(WorkloadLabels.REVISION))
                                        && PodCounts.ready(rs) > 0));
    }

    /** Promote, abort and retry mean nothing to a Rolling release: drop them, and say so. */
    private static Set<String> ignoredCommands(MicroserviceDeployment msd, List<Announcement> announcements) {
        Set<String> present = new TreeSet<>();
        Map<String, String> annotations = msd.getMetadata().getAnnotations();
        for (String command : List.of(Commands.PROMOTE, Commands.ABORT, Commands.RETRY)) {
            if (annotations != null && annotations.containsKey(command)) {
                present.add(command);
                announcements.add(new Announcement(
                        true, EventReason.CommandIgnored, command + " applies to the BlueGreen strategy only."));
            }
        }
        return present;
    }
}
