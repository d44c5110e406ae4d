package dev.blueshift.operator.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A scrape target whose error rate the test controls: {@code http_requests_total{namespace,
 * revision, status="200"|"500"}} counters that grow by 100 requests at every scrape, of which the
 * revision's error rate are 500s. It registers itself with {@link PrometheusServer} through a
 * file_sd file and removes it on close.
 */
public final class ScrapeTarget implements AutoCloseable {
    /** The error rate of a revision's requests over a short window, as an analysis query writes it. */
    public static final String ERROR_RATE_QUERY =
            "sum(rate(http_requests_total{namespace=\"{{namespace}}\",revision=\"{{revision}}\",status=\"500\"}[4s]))"
                    + " / sum(rate(http_requests_total{namespace=\"{{namespace}}\",revision=\"{{revision}}\"}[4s]))";

    private static final int REQUESTS_PER_SCRAPE = 100;

    private final String namespace;
    private final HttpServer server;
    private final Path file;
    private final Map<String, Double> errorRates = new ConcurrentHashMap<>();
    private final Map<String, long[]> counters = new ConcurrentHashMap<>();
    private final Supplier<Collection<String>> revisions;
    private volatile double defaultErrorRate;
    private volatile long scrapes;

    /** A target serving only the revisions given an error rate with {@link #errorRate}. */
    public ScrapeTarget(String namespace) {
        this(namespace, List::of);
    }

    /**
     * A target that also serves, at the default error rate, every revision {@code revisions} names
     * at scrape time (e.g. those with a ReplicaSet), as a workload's Pods would.
     */
    public ScrapeTarget(String namespace, Supplier<Collection<String>> revisions) {
        this.namespace = namespace;
        this.revisions = revisions;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        file = PrometheusServer.targetsDir().resolve("target-" + UUID.randomUUID() + ".json");
        String sd = "[{\"targets\":[\"127.0.0.1:" + server.getAddress().getPort() + "\"],\"labels\":{}}]";
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".target", ".tmp");
            Files.writeString(tmp, sd);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException(e);
        }
    }

    /** From the next scrape on, this share of the revision's requests fail (0..1). */
    public void errorRate(String revision, double rate) {
        errorRates.put(revision, rate);
    }

    /** The error rate of revisions that {@link #errorRate} did not set (0..1). */
    public void defaultErrorRate(double rate) {
        defaultErrorRate = rate;
    }

    /** Stops serving the revision's series: its queries return an empty result once they go stale. */
    public void forget(String revision) {
        errorRates.remove(revision);
        counters.remove(revision);
    }

    public long scrapes() {
        return scrapes;
    }

    private synchronized String scrape() {
        scrapes++;
        StringBuilder out = new StringBuilder("# TYPE http_requests_total counter\n");
        Map<String, Double> rates = new TreeMap<>(errorRates);
        for (String revision : revisions.get()) {
            rates.putIfAbsent(revision, defaultErrorRate);
        }
        rates.forEach((revision, rate) -> {
            long[] c = counters.computeIfAbsent(revision, r -> new long[2]);
            long errors = Math.round(REQUESTS_PER_SCRAPE * rate);
            c[0] += REQUESTS_PER_SCRAPE - errors;
            c[1] += errors;
            out.append(series(revision, "200", c[0])).append(series(revision, "500", c[1]));
        });
        return out.toString();
    }

    private String series(String revision, String status, long value) {
        return "http_requests_total{namespace=\"" + namespace + "\",revision=\"" + revision + "\",status=\"" + status
                + "\"} " + value + "\n";
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server.stop(0);
        }
    }
}
