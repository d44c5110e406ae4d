package dev.blueshift.operator.support;

/**
 * The image of the tests' workloads that may run on a real cluster (KUBECONFIG's kind or EKS):
 * system property {@code blueshift.test.image} or environment variable {@code BLUESHIFT_TEST_IMAGE},
 * by default {@value #DEFAULT}, small and public, so that a real node can pull and run it. kwok's
 * nodes pull nothing, so the tests that release placeholder images one per release ({@code shop:1},
 * {@code shop:2}) are {@link KwokOnly}.
 */
public final class TestImage {
    public static final String DEFAULT = "registry.k8s.io/pause:3.10";

    /** The image the setting names. */
    public static final String IMAGE =
            choose(System.getProperty("blueshift.test.image"), System.getenv("BLUESHIFT_TEST_IMAGE"));

    private TestImage() {}

    /** The system property when set, else the environment variable when set, else the default. */
    static String choose(String property, String env) {
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        return env != null && !env.isBlank() ? env.trim() : DEFAULT;
    }
}
