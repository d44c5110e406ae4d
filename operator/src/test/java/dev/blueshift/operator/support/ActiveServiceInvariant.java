package dev.blueshift.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, at every moment the API server recorded, that the active Service selects a ReplicaSet
 * with at least one ready Pod. It watches the namespace's Services and ReplicaSets, then replays
 * both event streams in resourceVersion order (etcd's global revision), so the check sees the
 * cluster's states in the order they existed, not in the order two watches happened to deliver.
 * Checking starts once the Service first selects a ready Pod (a first release has nothing to serve).
 */
public final class ActiveServiceInvariant implements AutoCloseable {
    private record Recorded(long resourceVersion, Watcher.Action action, HasMetadata object) {}

    private final String serviceName;
    private final List<Recorded> events = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();

    public ActiveServiceInvariant(KubernetesClient client, String namespace, String serviceName) {
        this.serviceName = serviceName;
        String from = client.apps()
                .replicaSets()
                .inNamespace(namespace)
                .list()
                .getMetadata()
                .getResourceVersion();
        watches.add(client.apps()
                .replicaSets()
                .inNamespace(namespace)
                .withResourceVersion(from)
                .watch(recorder()));
        watches.add(client.services()
                .inNamespace(namespace)
                .withResourceVersion(from)
                .watch(recorder()));
    }

    private <T extends HasMetadata> Watcher<T> recorder() {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                synchronized (events) {
                    events.add(new Recorded(Long.parseLong(object.getMetadata().getResourceVersion()), action, object));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }

    /** Every recorded moment at which the active Service selected no ready Pod, described. */
    public List<String> violations() {
        List<Recorded> ordered;
        synchronized (events) {
            ordered = new ArrayList<>(events);
        }
        ordered.sort(Comparator.comparingLong(Recorded::resourceVersion));
        Map<String, ReplicaSet> replicaSets = new HashMap<>();
        Service active = null;
        boolean armed = false;
        List<String> violations = new ArrayList<>();
        for (Recorded e : ordered) {
            if (e.object() instanceof ReplicaSet rs) {
                if (e.action() == Watcher.Action.DELETED) {
                    replicaSets.remove(rs.getMetadata().getName());
                } else {
                    replicaSets.put(rs.getMetadata().getName(), rs);
                }
            } else if (e.object() instanceof Service s
                    && serviceName.equals(s.getMetadata().getName())) {
                active = e.action() == Watcher.Action.DELETED ? null : s;
            }
            if (active == null) {
                continue;
            }
            int ready = readySelectedBy(active.getSpec().getSelector(), replicaSets);
            if (ready > 0) {
                armed = true;
            } else if (armed) {
                violations.add("at resourceVersion " + e.resourceVersion() + " the Service selects "
                        + active.getSpec().getSelector() + " and no ready Pod (after " + e.action() + " "
                        + e.object().getKind() + " " + e.object().getMetadata().getName() + ")");
            }
        }
        return violations;
    }

    /** How many events were seen: a check that saw nothing proves nothing. */
    public int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    private static int readySelectedBy(Map<String, String> selector, Map<String, ReplicaSet> replicaSets) {
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
        watches.forEach(Watch::close);
    }
}
