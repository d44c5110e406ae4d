package dev.blueshift.operator.crash;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.kube.WorkloadLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every change of the namespace's Services, ReplicaSets and MSDs, and checks, replaying
 * them in resourceVersion order (etcd's one global order, so the states are seen as they existed,
 * not as three watches happened to deliver them):
 * <ol>
 *   <li>each MSD's active Service ({@code <msd>}) selects a ReplicaSet with at least one ready Pod,
 *       from the moment it first did until the MSD is being deleted;
 *   <li>a revision the MSD's status recorded as aborted ({@code abortedRevision} in phase Aborted)
 *       or rolled back ({@code lastRollback.from}) is never selected by the active Service again:
 *       the Service may still select it when the record is written (record first, then act), but
 *       no later change of the Service may move it to that revision. The suite never re-applies an
 *       old template nor retries, so the bar holds until the MSD is deleted.
 * </ol>
 */
final class ReleaseInvariants implements AutoCloseable {
    private record Recorded(long resourceVersion, Watcher.Action action, HasMetadata object) {}

    private final List<Recorded> events = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger rewatches = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    /** Fed by {@link #record} alone: for the checker's own tests. */
    ReleaseInvariants() {}

    ReleaseInvariants(KubernetesClient client, String namespace) {
        String from = client.apps()
                .replicaSets()
                .inNamespace(namespace)
                .list()
                .getMetadata()
                .getResourceVersion();
        watch(client.apps().replicaSets().inNamespace(namespace), from);
        watch(client.services().inNamespace(namespace), from);
        watch(client.resources(MicroserviceDeployment.class).inNamespace(namespace), from);
    }

    /**
     * Watches from {@code resourceVersion}. When the watch ends with an error (an API server that
     * restarted may no longer serve an old resourceVersion: 410 Gone), it lists and watches again:
     * the listed objects are recorded as they are then, so the checks go on from the present; the
     * changes in between are lost, and counted ({@link #rewatches}).
     */
    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void watch(
            FilterWatchListDeletable<T, L, ?> objects, String resourceVersion) {
        Watcher<T> recorder = new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                record(action, object);
            }

            @Override
            public void onClose(WatcherException cause) {
                if (cause == null || closed) {
                    return;
                }
                rewatches.incrementAndGet();
                for (int attempt = 0; attempt < 600 && !closed; attempt++) {
                    try {
                        L list = objects.list();
                        list.getItems().forEach(o -> record(Action.MODIFIED, o));
                        watch(objects, list.getMetadata().getResourceVersion());
                        return;
                    } catch (RuntimeException e) {
                        sleep(100);
                    }
                }
            }
        };
        synchronized (watches) {
            watches.add(objects.withResourceVersion(resourceVersion).watch(recorder));
        }
    }

    /** How often a watch ended with an error and was made again from a fresh list. */
    int rewatches() {
        return rewatches.get();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** MSD deletions the suite asked for: the MSD's name and its resourceVersion just before. */
    private final List<Map.Entry<Long, String>> deletionsAsked = new ArrayList<>();

    /**
     * The suite deletes the MSD {@code name}, which was at {@code resourceVersion}: from then on the
     * garbage collector may remove its objects in any order. Recorded by the suite because a watch
     * re-established across an API server restart may never deliver the MSD's own DELETED event,
     * and an MSD without a finalizer has no Terminating state to see instead.
     */
    void deletionAsked(String name, long resourceVersion) {
        synchronized (events) {
            deletionsAsked.add(Map.entry(resourceVersion, name));
        }
    }

    void record(Watcher.Action action, HasMetadata object) {
        synchronized (events) {
            events.add(new Recorded(Long.parseLong(object.getMetadata().getResourceVersion()), action, object));
        }
    }

    /** The changes recorded after {@code resourceVersion}, described in order. */
    List<String> changesAfter(long resourceVersion) {
        List<Recorded> ordered;
        synchronized (events) {
            ordered = new ArrayList<>(events);
        }
        ordered.sort(Comparator.comparingLong(Recorded::resourceVersion));
        return ordered.stream()
                .filter(e -> e.resourceVersion() > resourceVersion)
                .map(e -> e.resourceVersion() + " " + e.action() + " "
                        + e.object().getKind() + " " + e.object().getMetadata().getName() + describe(e.object()))
                .toList();
    }

    private static String describe(HasMetadata object) {
        if (object instanceof Service s) {
            return " selects " + selectedRevision(s);
        }
        if (object instanceof ReplicaSet rs) {
            return " replicas " + rs.getSpec().getReplicas() + " ready "
                    + (rs.getStatus() == null ? null : rs.getStatus().getReadyReplicas());
        }
        if (object instanceof MicroserviceDeployment m && m.getStatus() != null) {
            return " phase " + m.getStatus().getPhase() + " active "
                    + m.getStatus().getActiveRevision() + " stable "
                    + m.getStatus().getStableRevision();
        }
        return "";
    }

    int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Every recorded moment that broke invariant 1 or 2, described. */
    List<String> violations() {
        List<Recorded> ordered;
        List<Map.Entry<Long, String>> asked;
        synchronized (events) {
            ordered = new ArrayList<>(events);
            asked = new ArrayList<>(deletionsAsked);
        }
        ordered.sort(Comparator.comparingLong(Recorded::resourceVersion));
        asked.sort(Map.Entry.comparingByKey());
        int nextAsked = 0;
        Map<String, ReplicaSet> replicaSets = new HashMap<>();
        Map<String, Service> services = new HashMap<>();
        Set<String> armed = new HashSet<>();
        Set<String> deleting = new HashSet<>();
        Map<String, Set<String>> barred = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (Recorded e : ordered) {
            while (nextAsked < asked.size() && asked.get(nextAsked).getKey() < e.resourceVersion()) {
                deleting.add(asked.get(nextAsked++).getValue());
            }
            String name = e.object().getMetadata().getName();
            boolean deleted = e.action() == Watcher.Action.DELETED;
            if (e.object() instanceof ReplicaSet rs) {
                if (deleted) {
                    replicaSets.remove(name);
                } else {
                    replicaSets.put(name, rs);
                }
            } else if (e.object() instanceof MicroserviceDeployment msd) {
                if (deleted) {
                    // Gone (at once, without a finalizer, or after it): the garbage collector removes
                    // what it owned next, in any order, until an MSD of that name is created again.
                    barred.remove(name);
                    armed.remove(name);
                    deleting.add(name);
                    continue;
                }
                if (msd.getMetadata().getDeletionTimestamp() != null) {
                    deleting.add(name);
                } else if (e.action() == Watcher.Action.ADDED) {
                    deleting.remove(name);
                }
                MicroserviceDeploymentStatus status = msd.getStatus();
                if (status != null && status.getPhase() == Phase.Aborted && status.getAbortedRevision() != null) {
                    barred.computeIfAbsent(name, n -> new HashSet<>()).add(status.getAbortedRevision());
                }
                if (status != null
                        && status.getLastRollback() != null
                        && status.getLastRollback().getFrom() != null) {
                    barred.computeIfAbsent(name, n -> new HashSet<>())
                            .add(status.getLastRollback().getFrom());
                }
                continue;
            } else if (e.object() instanceof Service s) {
                if (deleted) {
                    services.remove(name);
                    armed.remove(name);
                    continue;
                }
                Service before = services.put(name, s);
                String revision = selectedRevision(s);
                if (revision != null
                        && barred.getOrDefault(name, Set.of()).contains(revision)
                        && (before == null || !revision.equals(selectedRevision(before)))) {
                    violations.add(
                            "at resourceVersion " + e.resourceVersion() + " Service " + name + " moved to revision "
                                    + revision + ", which the MSD's status had recorded as aborted or rolled back");
                }
            }
            // Invariant 1, for every active Service this event may have changed.
            for (Service active : services.values()) {
                String msd = active.getMetadata().getName();
                if (msd.endsWith("-preview") || deleting.contains(msd)) {
                    continue;
                }
                int ready = readySelectedBy(active.getSpec().getSelector(), replicaSets);
                if (ready > 0) {
                    armed.add(msd);
                } else if (armed.remove(msd)) {
                    // Reported once per outage; re-armed when it selects a ready Pod again.
                    violations.add("at resourceVersion " + e.resourceVersion() + " Service " + msd + " selects "
                            + active.getSpec().getSelector() + " and no ready Pod (after " + e.action() + " "
                            + e.object().getKind() + " " + name + ")");
                }
            }
        }
        return violations;
    }

    /**
     * The values {@code of} takes on the named object, change after change in resourceVersion order
     * (repeats collapsed): the story of one field, e.g. which revision a Service selected.
     */
    <T extends HasMetadata> List<String> history(
            Class<T> kind, String name, java.util.function.Function<T, String> of) {
        List<Recorded> ordered;
        synchronized (events) {
            ordered = new ArrayList<>(events);
        }
        ordered.sort(Comparator.comparingLong(Recorded::resourceVersion));
        List<String> values = new ArrayList<>();
        for (Recorded e : ordered) {
            if (kind.isInstance(e.object())
                    && name.equals(e.object().getMetadata().getName())
                    && e.action() != Watcher.Action.DELETED) {
                String value = String.valueOf(of.apply(kind.cast(e.object())));
                if (values.isEmpty() || !values.get(values.size() - 1).equals(value)) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    static String selectedRevision(Service service) {
        return service.getSpec().getSelector() == null
                ? null
                : service.getSpec().getSelector().get(WorkloadLabels.REVISION);
    }

    private static int readySelectedBy(Map<String, String> selector, Map<String, ReplicaSet> replicaSets) {
        if (selector == null || selector.isEmpty()) {
            return 0;
        }
        return replicaSets.values().stream()
                .filter(rs -> rs.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(selector.entrySet()))
                .mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                        ? 0
                        : rs.getStatus().getReadyReplicas())
                .sum();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (watches) {
            watches.forEach(Watch::close);
        }
    }
}
