package dev.blueshift.operator.analysis;

import dev.blueshift.operator.config.AnalysisConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Prometheus servers the cluster admin lets analysis query: the default address and the
 * allow-list. An MSD's {@code prometheus.address} is allowed when its scheme, host (any case) and
 * port (default ports filled in) equal an allowed base's and its path is the base's path or below
 * it; userinfo, a query or a fragment is never allowed, nor are '%' escapes or dot segments in the
 * path (a server may decode them into another path). The answer comes before any request is made,
 * so a tenant cannot point the operator (and its AWS credentials, with sigv4) at anything else.
 */
public final class PrometheusAddresses {
    public static final String DEFAULT_SETTING = "blueshift.analysis.prometheus-address";
    public static final String ALLOWED_SETTING = "blueshift.analysis.allowed-prometheus-addresses";

    private record Base(String scheme, String host, int port, String path) {
        boolean covers(Base address) {
            return scheme.equals(address.scheme)
                    && host.equals(address.host)
                    && port == address.port
                    && (path.isEmpty() || address.path.equals(path) || address.path.startsWith(path + "/"));
        }
    }

    private final Optional<String> defaultAddress;
    private final List<Base> allowed = new ArrayList<>();

    /**
     * @param defaultAddress the Prometheus of metrics that name none; allowed too
     * @param allowList further base URLs
     * @throws IllegalArgumentException naming the setting, when an entry is not a plain http(s) base URL
     */
    public PrometheusAddresses(Optional<String> defaultAddress, List<String> allowList) {
        this.defaultAddress = defaultAddress.filter(a -> !a.isBlank());
        this.defaultAddress.ifPresent(a -> allowed.add(parseSetting(DEFAULT_SETTING, a)));
        allowList.stream().filter(a -> !a.isBlank()).forEach(a -> allowed.add(parseSetting(ALLOWED_SETTING, a)));
    }

    public static PrometheusAddresses of(AnalysisConfig config) {
        return new PrometheusAddresses(
                config.prometheusAddress(), config.allowedPrometheusAddresses().orElse(List.of()));
    }

    /** Only these base URLs, no default address (for tests and tools). */
    public static PrometheusAddresses only(String... bases) {
        return new PrometheusAddresses(Optional.empty(), List.of(bases));
    }

    public Optional<String> defaultAddress() {
        return defaultAddress;
    }

    /** Why {@code address} may not be queried (a message for status, naming the field and the setting), or empty when it may. */
    public Optional<String> refusal(String address) {
        String why;
        try {
            Base candidate = parse(address);
            if (allowed.stream().anyMatch(base -> base.covers(candidate))) {
                return Optional.empty();
            }
            why = "";
        } catch (IllegalArgumentException e) {
            why = " (" + e.getMessage() + ")";
        }
        return Optional.of("prometheus.address " + Excerpt.of(address, 200) + " is not allowed by the operator ("
                + ALLOWED_SETTING + ")" + why + "; ask the cluster admin");
    }

    private static Base parseSetting(String setting, String value) {
        try {
            return parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    setting + ": " + value + " is not a plain http(s) base URL: " + e.getMessage(), e);
        }
    }

    /** The parts that are compared; anything that could make them say one thing and the request do another is refused. */
    private static Base parse(String address) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("only http and https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("userinfo (user@host) is never allowed");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a query or fragment is never allowed");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("%") || List.of(path.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException("'%' escapes and dot segments are never allowed in the path");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Base(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path.replaceAll("/+$", ""));
    }
}
