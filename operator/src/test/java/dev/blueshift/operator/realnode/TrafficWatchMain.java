package dev.blueshift.operator.realnode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's load generator (hack/demo.sh on the real node): sends requests through an MSD's
 * active Service until the file {@code stop} appears in the output directory, then writes there
 * every request (requests.csv), the timeline (timeline.txt, also printed) and its plot
 * (requests-per-second.png). Exits 1 if a request failed or the timeline disagrees with the
 * operator's Events.
 *
 * <p>Arguments: namespace, MSD (its active Service has its name), output directory. The cluster is
 * KUBECONFIG's.
 */
public final class TrafficWatchMain {
    private TrafficWatchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TrafficWatchMain NAMESPACE MSD OUTPUT_DIR");
            System.exit(2);
        }
        String namespace = args[0];
        String msd = args[1];
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        Path stop = out.resolve("stop");
        Files.deleteIfExists(stop);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            String clusterIp = client.services()
                    .inNamespace(namespace)
                    .withName(msd)
                    .get()
                    .getSpec()
                    .getClusterIP();
            ServiceTraffic.Recording recording;
            try (ServiceTraffic traffic = ServiceTraffic.start(client, namespace, msd, clusterIp, 2)) {
                Files.writeString(out.resolve("started"), clusterIp + "\n");
                while (!Files.exists(stop)) {
                    Thread.sleep(200);
                }
                recording = traffic.recording();
            }
            TrafficTimeline timeline =
                    new TrafficTimeline(recording, TrafficTimeline.announcements(client, namespace, msd));
            List<String> lines = new ArrayList<>(timeline.lines());
            List<String> disagreements = timeline.disagreements();
            disagreements.forEach(d -> lines.add("DISAGREES: " + d));
            Files.write(out.resolve("timeline.txt"), lines);
            writeCsv(timeline, out.resolve("requests.csv"));
            TrafficPlot.write(
                    timeline,
                    "MicroserviceDeployment " + namespace + "/" + msd,
                    out.resolve("requests-per-second.png"));
            lines.forEach(System.out::println);
            System.exit(timeline.failed().isEmpty() && disagreements.isEmpty() ? 0 : 1);
        }
    }

    private static void writeCsv(TrafficTimeline timeline, Path csv) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add("start,millis,status,revision,error");
        for (TrafficRecorder.Request r : timeline.requests()) {
            rows.add(String.join(
                    ",",
                    r.start().toString(),
                    Long.toString(Duration.between(r.start(), r.end()).toMillis()),
                    Integer.toString(r.status()),
                    r.revision() == null ? "" : r.revision(),
                    r.error() == null ? "" : '"' + r.error().replace("\"", "'") + '"'));
        }
        Files.write(csv, rows);
    }
}
