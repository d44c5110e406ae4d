package dev.blueshift.operator.realnode;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load generator that records every request: workers send GET {@code /info} through a Service's
 * ClusterIP (kube-proxy's rules on this machine), each every {@link #PACE} on a new connection, so that
 * every request is routed by the Service as it is at that moment. Each answer names the revision
 * that gave it.
 */
final class TrafficRecorder implements AutoCloseable {
    /**
     * One request: when it started and ended, its HTTP status (0: no answer), the answering revision
     * and the error, if any.
     */
    record Request(Instant start, Instant end, int status, String revision, String error) {
        /** The sample service's injected fault (BLUESHIFT_FAULT_ERROR_RATE): a 500 its revision chose to give. */
        boolean injectedFault() {
            return status == 500 && revision != null && INJECTED_FAULT.equals(error);
        }

        /** No answer, or one that is neither a revision's 200 nor its injected fault: the release failed it. */
        boolean failed() {
            return !(status == 200 && revision != null) && !injectedFault();
        }
    }

    /** The error of the sample service's injected 500s (its FaultInjectionFilter). */
    static final String INJECTED_FAULT = "injected fault (blueshift.fault.error-rate)";

    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]+)\"");

    private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Between two requests of a worker: the Pods starting beside the ones answering need the CPU too. */
    static final Duration PACE = Duration.ofMillis(10);

    private final URI uri;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Request> requests = new ArrayList<>();
    private final ExecutorService workers;

    private TrafficRecorder(URI uri, int workers) {
        this.uri = uri;
        this.workers = Executors.newFixedThreadPool(Math.max(1, workers));
        for (int i = 0; i < workers; i++) {
            this.workers.submit(this::loop);
        }
    }

    /**
     * Starts {@code workers} workers sending to http://{@code clusterIp}:{@code port}/info, once it
     * answers: a new Service's ClusterIP refuses connections until kube-proxy has its endpoints.
     */
    static TrafficRecorder start(String clusterIp, int port, int workers) throws InterruptedException {
        URI uri = URI.create("http://" + clusterIp + ":" + port + "/info");
        TrafficRecorder probe = new TrafficRecorder(uri, 0);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (probe.send().failed()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(uri + " did not answer within a minute");
            }
            Thread.sleep(100);
        }
        probe.close();
        return new TrafficRecorder(uri, workers);
    }

    private void loop() {
        while (running.get()) {
            Request r = send();
            synchronized (requests) {
                requests.add(r);
            }
            try {
                Thread.sleep(PACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Request send() {
        Instant start = Instant.now();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
            c.setRequestProperty("Connection", "close");
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) TIMEOUT.toMillis());
            int status = c.getResponseCode();
            String body;
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher revision = REVISION.matcher(body);
            Matcher error = ERROR.matcher(body);
            return new Request(
                    start,
                    Instant.now(),
                    status,
                    revision.find() ? revision.group(1) : null,
                    error.find() ? error.group(1) : status == 200 ? null : "HTTP " + status);
        } catch (IOException e) {
            return new Request(start, Instant.now(), 0, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /** Every request so far, in the order they ended. */
    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Waits until {@code count} more requests have been answered (or 30 s passed). */
    void awaitMore(int count) throws InterruptedException {
        int target = requests().size() + count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (requests().size() < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        workers.shutdown();
        workers.awaitTermination(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }
}
