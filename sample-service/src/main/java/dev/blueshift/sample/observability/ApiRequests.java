package dev.blueshift.sample.observability;

import io.vertx.ext.web.RoutingContext;

/** Which HTTP requests are the service's API, as opposed to probes and metrics under /q/. */
public final class ApiRequests {
    private ApiRequests() {}

    public static boolean isApi(RoutingContext request) {
        String path = request.normalizedPath();
        return !path.startsWith("/q/") && !path.equals("/q");
    }
}
