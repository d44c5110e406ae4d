package dev.blueshift.operator.realnode;

import dev.blueshift.operator.kube.WorkloadLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** When the test saw the active Service select another revision (a watch: the moment it learned of it). */
final class ActiveServiceTimeline implements AutoCloseable {
    record Switch(Instant seen, String from, String to) {}

    private final List<Switch> switches = new ArrayList<>();
    private final Watch watch;
    private String current;

    ActiveServiceTimeline(KubernetesClient client, String namespace, String service) {
        current = revision(
                client.services().inNamespace(namespace).withName(service).get());
        watch = client.services().inNamespace(namespace).withName(service).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Service s) {
                Instant now = Instant.now();
                String selected = action == Action.DELETED ? null : revision(s);
                synchronized (switches) {
                    if (!Objects.equals(selected, current)) {
                        switches.add(new Switch(now, current, selected));
                        current = selected;
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    private static String revision(Service s) {
        return s == null ? null : s.getSpec().getSelector().get(WorkloadLabels.REVISION);
    }

    List<Switch> switches() {
        synchronized (switches) {
            return List.copyOf(switches);
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
