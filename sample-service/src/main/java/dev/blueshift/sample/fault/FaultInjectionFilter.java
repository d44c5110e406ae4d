package dev.blueshift.sample.fault;

import dev.blueshift.sample.SampleConfig;
import dev.blueshift.sample.observability.ApiRequests;
import dev.blueshift.sample.observability.ReleaseTrafficFilter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Makes a release bad on purpose, for demos and tests: delays every API request by
 * blueshift.fault.latency-ms and answers a blueshift.fault.error-rate share of them with a 500.
 * Off (both zero) by default; probes and metrics are never touched.
 */
@ApplicationScoped
public class FaultInjectionFilter {
    private static final Logger LOG = Logger.getLogger(FaultInjectionFilter.class);
    static final String INJECTED_ERROR = "injected fault (blueshift.fault.error-rate)";

    void register(@Observes Filters filters, SampleConfig config) {
        double errorRate = config.fault().errorRate();
        long latencyMs = config.fault().latencyMs();
        if (errorRate < 0 || errorRate > 1 || latencyMs < 0) {
            throw new IllegalArgumentException("blueshift.fault.error-rate must be within [0, 1] and "
                    + "blueshift.fault.latency-ms at least 0, got " + errorRate + " and " + latencyMs);
        }
        if (errorRate == 0 && latencyMs == 0) {
            return;
        }
        // The answer names the revision, as /info does: a client can tell which release failed it.
        String body = "{\"error\":\"" + INJECTED_ERROR + "\",\"revision\":\"" + config.revision() + "\"}";
        LOG.warnf("fault injection is on: error rate %.2f, added latency %d ms", errorRate, latencyMs);
        filters.register(
                request -> {
                    if (!ApiRequests.isApi(request)) {
                        request.next();
                    } else if (latencyMs > 0) {
                        request.vertx().setTimer(latencyMs, timer -> failOrProceed(request, errorRate, body));
                    } else {
                        failOrProceed(request, errorRate, body);
                    }
                },
                ReleaseTrafficFilter.PRIORITY - 1);
    }

    private static void failOrProceed(RoutingContext request, double errorRate, String body) {
        if (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate) {
            request.response()
                    .setStatusCode(500)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(body);
        } else {
            request.next();
        }
    }
}
