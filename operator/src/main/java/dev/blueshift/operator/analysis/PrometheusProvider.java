package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.spec.ThresholdCondition;
import java.net.ProtocolException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A PromQL instant query ({@code GET /api/v1/query}) compared with the metric's threshold (the
 * answer is read by {@link PrometheusAnswer}). An empty vector or NaN (e.g. 0/0 when the revision
 * had no traffic) is no data; an HTTP or parse error, a timeout, or a result of another type is a
 * provider error.
 *
 * <p>The MSD's author may be a hostile tenant, so: only an address the cluster admin allows is ever
 * queried (and signed for); the answer is read up to a byte cap and within the query timeout, its
 * whole exchange included; and what comes back into status is never the answer's body, only the
 * value read, or a short sanitized excerpt of a Prometheus error.
 */
public class PrometheusProvider implements MetricProvider {
    /** Longest excerpt of a Prometheus error message in status. */
    static final int ERROR_EXCERPT = 200;

    private final HttpClient http;
    private final PrometheusAddresses addresses;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final PrometheusSigner signer;

    /**
     * @param addresses the default address and the addresses a metric may name
     * @param timeout longest time of one query, from connecting to the answer's last byte
     * @param maxResponseBytes largest answer read
     * @param credentials AWS credentials for metrics whose queries are signed (sigv4)
     */
    public PrometheusProvider(
            PrometheusAddresses addresses,
            Duration timeout,
            int maxResponseBytes,
            Supplier<? extends AwsCredentialsIdentity> credentials) {
        this.addresses = addresses;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.signer = new PrometheusSigner(credentials);
        // Never follow a redirect: an allowed server must not be able to send the query (signed) elsewhere.
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public boolean handles(AnalysisMetric metric) {
        return metric.getPrometheus() != null;
    }

    @Override
    public Measurement measure(AnalysisMetric metric, AnalysisTarget target) {
        PrometheusMetric spec = metric.getPrometheus();
        ThresholdCondition condition = Objects.requireNonNullElse(spec.getCondition(), ThresholdCondition.LessThan);
        double threshold = spec.getThreshold();
        String wanted = condition.symbol() + " " + PrometheusAnswer.format(threshold);
        String query = target.render(spec.getQuery());
        Optional<String> address = Optional.ofNullable(spec.getAddress()).or(addresses::defaultAddress);
        if (address.isEmpty()) {
            return Measurement.error(
                    wanted,
                    "no Prometheus address: set the metric's prometheus.address or the operator's" + " "
                            + PrometheusAddresses.DEFAULT_SETTING);
        }
        // Before anything else, signing included: a refused address is never sent a byte.
        Optional<String> refusal = addresses.refusal(address.get());
        if (refusal.isPresent()) {
            return Measurement.error(wanted, refusal.get());
        }
        String shown = Excerpt.of(address.get(), ERROR_EXCERPT);
        URI uri;
        try {
            uri = URI.create(address.get().replaceAll("/+$", "") + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Measurement.error(wanted, "bad Prometheus address " + shown);
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (spec.getSigv4() != null) {
            try {
                signer.sign(request, uri, spec.getSigv4().getRegion());
            } catch (SdkException e) {
                return Measurement.error(
                        wanted, "cannot sign the query with AWS SigV4: " + Excerpt.of(e.getMessage(), ERROR_EXCERPT));
            }
        }
        CappedBody capped = new CappedBody(maxResponseBytes);
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request.build(), capped);
        HttpResponse<byte[]> response;
        try {
            // The request's own timeout ends at the headers; this bounds the body too (a server may trickle it).
            response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stop(call, capped);
            return timedOut(wanted, shown);
        } catch (InterruptedException e) {
            stop(call, capped);
            Thread.currentThread().interrupt();
            return Measurement.error(wanted, "interrupted while querying Prometheus");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CappedBody.TooLarge) {
                return Measurement.error(
                        wanted,
                        "the answer of Prometheus at " + shown + " is larger than " + maxResponseBytes
                                + " bytes (blueshift.analysis.max-response-bytes); not read on");
            }
            if (cause instanceof HttpTimeoutException) {
                return timedOut(wanted, shown);
            }
            return Measurement.error(wanted, "Prometheus at " + shown + " unreachable: " + describe(cause));
        }
        return PrometheusAnswer.judge(response, query, condition, threshold, wanted);
    }

    private static void stop(CompletableFuture<?> call, CappedBody body) {
        call.cancel(true);
        body.abort();
    }

    private Measurement timedOut(String wanted, String shown) {
        return Measurement.error(
                wanted,
                "Prometheus at " + shown + " did not answer in full within " + timeout.toMillis()
                        + " ms (blueshift.analysis.query-timeout)");
    }

    /** The JDK's words for a failed exchange; a ProtocolException quotes the server's first line, so not its message. */
    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ProtocolException) {
                return "not an HTTP answer";
            }
        }
        if (e.getMessage() == null) {
            return e.getClass().getSimpleName();
        }
        return e.getClass().getSimpleName() + ": " + Excerpt.of(e.getMessage(), ERROR_EXCERPT);
    }
}
