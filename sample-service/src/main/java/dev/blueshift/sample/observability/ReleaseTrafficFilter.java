package dev.blueshift.sample.observability;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Feeds every API answer, whatever produced it (auth, fault injection, resource), to the counters. */
@ApplicationScoped
public class ReleaseTrafficFilter {
    /** Runs before every other filter, so that answers made by later filters are counted too. */
    public static final int PRIORITY = 200;

    void register(@Observes Filters filters, ReleaseTrafficCounters counters) {
        filters.register(
                request -> {
                    if (ApiRequests.isApi(request)) {
                        request.addHeadersEndHandler(
                                done -> counters.answered(request.response().getStatusCode()));
                    }
                    request.next();
                },
                PRIORITY);
    }
}
