package dev.blueshift.operator.realnode;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * What a user's clients see of a Service: requests sent through its ClusterIP without pause
 * ({@link TrafficRecorder}), beside the moves of its selector ({@link ActiveServiceTimeline}).
 */
final class ServiceTraffic implements AutoCloseable {
    /** Every request so far and every switch of the Service's revision. */
    record Recording(List<TrafficRecorder.Request> requests, List<ActiveServiceTimeline.Switch> switches) {}

    private final ActiveServiceTimeline timeline;
    private final TrafficRecorder recorder;

    private ServiceTraffic(ActiveServiceTimeline timeline, TrafficRecorder recorder) {
        this.timeline = timeline;
        this.recorder = recorder;
    }

    /** Watches {@code service} and sends requests to {@code clusterIp}:80 from {@code workers} workers. */
    static ServiceTraffic start(
            KubernetesClient client, String namespace, String service, String clusterIp, int workers)
            throws InterruptedException {
        ActiveServiceTimeline timeline = new ActiveServiceTimeline(client, namespace, service);
        try {
            return new ServiceTraffic(timeline, TrafficRecorder.start(clusterIp, 80, workers));
        } catch (RuntimeException | InterruptedException e) {
            timeline.close();
            throw e;
        }
    }

    TrafficRecorder recorder() {
        return recorder;
    }

    Recording recording() {
        return new Recording(recorder.requests(), timeline.switches());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            recorder.close();
        } finally {
            timeline.close();
        }
    }
}
