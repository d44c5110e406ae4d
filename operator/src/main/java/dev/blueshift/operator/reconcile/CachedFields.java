package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Map;

/**
 * What the informer caches keep of each object: the fields the operator reads, and nothing it does
 * not (at 1000 MSDs the caches are most of the heap; make bench, issue 15). Safe because nothing
 * trimmed is ever written back: the operator writes by server-side apply of objects it builds, by
 * JSON merge patches of one annotation and by deletes, all by name; the one part of a cached object
 * it applies again, an MSD's ReplicaSet's pod template, stays whole. Metadata stays whole (but for
 * its managedFields and kubectl's copy of the last applied object): names, labels, annotations,
 * owner references, uid, resourceVersion and generation are read everywhere. Each trim returns the
 * object it was given, changed, and then compacted ({@link CompactModel}).
 */
final class CachedFields {
    /** `kubectl apply`'s copy of the whole object as it last applied it, a JSON string nothing here reads. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private CachedFields() {}

    /**
     * Every cached object: no managedFields (the operator writes by server-side apply of objects
     * it builds; they are often the larger part of an object: make bench-scale) and no
     * last-applied copy.
     */
    static <R extends HasMetadata> R metadata(R object) {
        ObjectMeta meta = object.getMetadata();
        meta.setManagedFields(null);
        Map<String, String> annotations = meta.getAnnotations();
        if (annotations != null) {
            annotations.remove(LAST_APPLIED);
        }
        return object;
    }

    /**
     * The form the caches keep of an object of any kind. Also for what a write returns: the operator
     * SDK keeps that in its cache of recent writes (until the informer has the same version, or
     * later: at 1000 MSDs some 400 MSDs' last status writes stayed there, with managedFields).
     */
    static <R extends HasMetadata> R of(R object) {
        if (object == null) {
            return null;
        }
        if (object instanceof ReplicaSet rs) {
            replicaSet(rs);
        } else if (object instanceof Service service) {
            service(service);
        } else if (object instanceof Deployment deployment) {
            deployment(deployment);
        } else if (object instanceof ServiceAccount serviceAccount) {
            serviceAccount(serviceAccount);
        } else if (object instanceof MicroserviceDeployment msd) {
            msd(msd);
        } else {
            metadata(object);
        }
        return object;
    }

    /**
     * An MSD: spec and status are the decision's input; only the metadata trim, and compacted (the
     * reconciler works on the operator SDK's copy, never on the cached one).
     */
    static MicroserviceDeployment msd(MicroserviceDeployment msd) {
        return CompactModel.compact(metadata(msd));
    }

    /**
     * A ReplicaSet an MSD controls keeps its spec whole: the pod template of an existing revision
     * is applied again, as it is, whenever that ReplicaSet is scaled or marked
     * (BlueGreenApplier), and its serviceAccountName says which ServiceAccounts are in use. Of its
     * status the counts stay (replicas, readyReplicas, observedGeneration...), not the conditions.
     * A ReplicaSet a Deployment controls (a Rolling MSD's; it carries our labels, copied from the
     * template) is only looked at to be left out: its metadata stays, its spec and status go.
     */
    static ReplicaSet replicaSet(ReplicaSet rs) {
        metadata(rs);
        if (!controlledByAnMsd(rs)) {
            rs.setSpec(null);
            rs.setStatus(null);
        } else if (rs.getStatus() != null) {
            rs.getStatus().setConditions(null);
        }
        return CompactModel.compact(rs);
    }

    /**
     * A Rolling MSD's Deployment: the operator applies the one it builds and reads of the cached
     * one its status (Pod counts, conditions), its scale-down annotation and the
     * serviceAccountName of its template (RetiredServiceAccounts); the rest of the template goes.
     */
    static Deployment deployment(Deployment deployment) {
        metadata(deployment);
        if (deployment.getSpec() != null && deployment.getSpec().getTemplate() != null) {
            PodTemplateSpec template = deployment.getSpec().getTemplate();
            PodSpec kept = new PodSpec();
            if (template.getSpec() != null) {
                kept.setServiceAccountName(template.getSpec().getServiceAccountName());
            }
            PodTemplateSpec trimmed = new PodTemplateSpec();
            trimmed.setSpec(kept);
            deployment.getSpec().setTemplate(trimmed);
        }
        return CompactModel.compact(deployment);
    }

    /** A Service: the operator reads only its selector (which revision it sends traffic to). */
    static Service service(Service service) {
        metadata(service);
        ServiceSpec kept = new ServiceSpec();
        if (service.getSpec() != null) {
            kept.setSelector(service.getSpec().getSelector());
        }
        service.setSpec(kept);
        service.setStatus(null);
        return CompactModel.compact(service);
    }

    /** A ServiceAccount: only its metadata is read (labels, owner, role annotations). */
    static ServiceAccount serviceAccount(ServiceAccount serviceAccount) {
        metadata(serviceAccount);
        serviceAccount.setSecrets(null);
        serviceAccount.setImagePullSecrets(null);
        return CompactModel.compact(serviceAccount);
    }

    private static boolean controlledByAnMsd(HasMetadata object) {
        return object.getMetadata().getOwnerReferences().stream()
                .anyMatch(ref ->
                        Boolean.TRUE.equals(ref.getController()) && MicroserviceDeployment.KIND.equals(ref.getKind()));
    }
}
