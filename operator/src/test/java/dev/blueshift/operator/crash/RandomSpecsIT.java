package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random MSD specs, mostly valid and often at a boundary (a field absent, at its minimum or maximum,
 * one past it, or far past the range of a Java int), sent to the real API server, with the packaged
 * operator running. Every spec the API server accepts must reach a status with a phase and
 * conditions for its generation, and never phase Failed (the operator must handle whatever admission
 * lets through); every spec it rejects must name the field. Seeded (printed; rerun with
 * {@code -Dblueshift.specs.seed=N}); the specs of failures found are kept in {@link #REGRESSIONS}
 * and replayed first on every run. (A generator of our own rather than
 * jqwik 1.10: that line is built on JUnit Platform 1.x, this project runs Platform 6.)
 */
@Tag("process")
@KwokOnly
class RandomSpecsIT {
    private static final long SEED = Long.getLong("blueshift.specs.seed", new SecureRandom().nextLong());
    private static final int TRIES = Integer.getInteger("blueshift.specs.tries", 60);
    /**
     * Specs that once found a failure, replayed first on every run (as specs, not seeds: a seed
     * replays only the generator it was found with).
     */
    private static final List<String> REGRESSIONS = List.of(
            // seed -120452998618759761 #2: accepted, then the operator's MSD informer stopped ("watch failed ... will
            // stop"):
            // no MSD was reconciled any more. Now refused at admission (int32 range on every Java int).
            "{\"replicas\":2,\"revisionHistoryLimit\":100,\"progressDeadlineSeconds\":99999999999,\"strategy\":{\"type\":\"Rolling\"},"
                    + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/random:562\"}]}}}",
            // the same through the template: an int32 of the fabric8 PodSpec model
            "{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"x:1\",\"readinessProbe\":"
                    + "{\"periodSeconds\":99999999999,\"tcpSocket\":{\"port\":8080}}}]}}}",
            // seed -227302374911234280 #22: replicas out of range, refused twice, by the schema (spec.replicas) and by
            // the
            // /scale subresource's check (.spec.replicas, with a leading dot the checker did not take for a field)
            "{\"replicas\":-1,\"strategy\":{\"type\":\"BlueGreen\"},"
                    + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"x:1\"}]}}}");

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(45);
    private static final String LOG = "[random-specs] ";

    private record Outcome(String name, boolean accepted, String problem) {}

    @Test
    void everyAcceptedSpecGetsAStatusThatExplainsItAndEveryRejectedOneNamesTheField() throws Exception {
        System.out.println(LOG + "seed " + SEED + " (rerun: -Dblueshift.specs.seed=" + SEED + "), " + TRIES
                + " specs, regressions " + REGRESSIONS.size());
        List<Outcome> outcomes = new ArrayList<>();
        try (CrashCluster cluster = new CrashCluster("bs-specs");
                OperatorProcess operator =
                        new OperatorProcess("specs-" + cluster.namespace, cluster.operatorSettings())) {
            operator.start();
            int index = 0;
            for (String regression : REGRESSIONS) {
                @SuppressWarnings("unchecked")
                Map<String, Object> spec = Serialization.unmarshal(regression, Map.class);
                outcomes.add(check(cluster, "regression-" + index, spec, 0, index++));
            }
            Random random = new Random(SEED);
            for (int i = 0; i < TRIES; i++, index++) {
                outcomes.add(check(cluster, SpecGenerator.name(random, index), SpecGenerator.spec(random), SEED, i));
            }
            long accepted = outcomes.stream().filter(Outcome::accepted).count();
            List<Outcome> problems =
                    outcomes.stream().filter(o -> o.problem() != null).toList();
            System.out.println(LOG + "specs " + outcomes.size() + ": accepted " + accepted + ", rejected "
                    + (outcomes.size() - accepted) + ", problems " + problems.size());
            problems.forEach(p -> System.out.println(LOG + "  " + p.name() + ": " + p.problem()));
            System.out.println(LOG + "operator log ERROR lines "
                    + operator.logLines(" ERROR ").size() + " (" + operator.log() + ")");
            assertThat(accepted)
                    .as("accepted specs (a generator that makes only invalid ones proves little)")
                    .isGreaterThan(outcomes.size() / 5);
            assertThat(outcomes.size() - accepted).as("rejected specs").isGreaterThan(0);
            assertThat(problems).isEmpty();
        }
    }

    /** Creates one MSD of {@code spec}; checks what the API server and then the operator make of it; deletes it. */
    private static Outcome check(CrashCluster cluster, String name, Map<String, Object> spec, long seed, int i) {
        GenericKubernetesResource msd = new GenericKubernetesResource();
        msd.setApiVersion("blueshift.dev/v1alpha1");
        msd.setKind("MicroserviceDeployment");
        msd.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .withNamespace(cluster.namespace)
                .addToLabels(LocalControlPlane.RUN_LABEL, cluster.runValue)
                .build());
        msd.setAdditionalProperty("spec", spec);
        String where = "seed " + seed + " #" + i + " " + Serialization.asJson(spec);
        try {
            cluster.client.resource(msd).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 422) {
                return new Outcome(
                        name, false, "refused with HTTP " + e.getCode() + " " + e.getMessage() + "; " + where);
            }
            List<StatusCause> causes = e.getStatus() == null || e.getStatus().getDetails() == null
                    ? List.of()
                    : e.getStatus().getDetails().getCauses();
            // Every cause names its field, but the API server's own note that some rules were skipped.
            boolean named = causes.stream().anyMatch(c -> namesField(c))
                    && causes.stream()
                            .allMatch(c -> namesField(c)
                                    || c.getMessage() != null
                                            && c.getMessage().contains("some validation rules were not checked"));
            return new Outcome(
                    name, false, named ? null : "rejected without naming the field: " + e.getStatus() + "; " + where);
        }
        var resource = cluster.client
                .resources(MicroserviceDeployment.class)
                .inNamespace(cluster.namespace)
                .withName(name);
        String problem = null;
        try {
            MicroserviceDeployment m = await().atMost(STATUS_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            resource::get,
                            r -> r != null
                                    && r.getStatus() != null
                                    && r.getStatus().getPhase() != null
                                    && !r.getStatus().getConditions().isEmpty()
                                    && r.getMetadata()
                                            .getGeneration()
                                            .equals(r.getStatus().getObservedGeneration()));
            if (m.getStatus().getPhase() == Phase.Failed) {
                problem = "accepted, then Failed: " + m.getStatus().getMessage() + "; conditions "
                        + Serialization.asJson(m.getStatus().getConditions()) + "; " + where;
            }
        } catch (ConditionTimeoutException e) {
            MicroserviceDeployment m = resource.get();
            problem = "accepted, but no status with phase and conditions for its generation within "
                    + STATUS_TIMEOUT.toSeconds() + " s: " + (m == null ? "gone" : Serialization.asJson(m.getStatus()))
                    + "; " + where;
        } catch (RuntimeException e) {
            problem = "accepted, but the MSD cannot be read back: " + e + "; " + where;
        }
        // One at a time: delete it (the operator removes its finalizer) before the next.
        try {
            cluster.client.resource(msd).delete();
            await().atMost(STATUS_TIMEOUT)
                    .until(() -> cluster.client.resource(msd).get() == null);
        } catch (RuntimeException e) {
            cluster.client.resource(msd).edit(r -> {
                r.getMetadata().setFinalizers(null);
                return r;
            });
            problem =
                    (problem == null ? "" : problem + "; ") + "not deleted within " + STATUS_TIMEOUT.toSeconds() + " s";
        }
        return new Outcome(name, true, problem);
    }

    /**
     * The cause names a field of the MSD. The API server names some with a leading dot: the /scale
     * subresource's check of {@code specReplicasPath} says {@code .spec.replicas}.
     */
    private static boolean namesField(StatusCause cause) {
        if (cause.getField() == null) {
            return false;
        }
        String field = cause.getField().startsWith(".") ? cause.getField().substring(1) : cause.getField();
        return field.startsWith("spec") || field.startsWith("metadata");
    }

    /** Specs for the MSD schema in crds/: each field absent, typical, or at (or just past, or far past) a bound. */
    static final class SpecGenerator {
        private static final long HUGE = 99_999_999_999L;
        private static final long NONE = Long.MIN_VALUE;
        private static final String[] DURATIONS = {
            "10s", "1s", "100ms", "99ms", "0s", "5m", "1h", "99999h", "9999999s", "1.5s", "10"
        };

        static String name(Random random, int index) {
            // Valid names; names themselves are checked at admission by the corpus of invalid manifests.
            return "r" + index + "-"
                    + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).substring(0, 1 + random.nextInt(6));
        }

        static Map<String, Object> spec(Random random) {
            Map<String, Object> spec = new LinkedHashMap<>();
            boolean blueGreen = random.nextInt(3) > 0;
            Object replicas = integer(random, 0, 10_000, 2);
            put(spec, "replicas", replicas);
            put(spec, "revisionHistoryLimit", maybe(random, integer(random, 0, 100, 3)));
            put(spec, "progressDeadlineSeconds", maybe(random, integer(random, 1, NONE, 600)));
            if (random.nextBoolean()) {
                Map<String, Object> service = new LinkedHashMap<>();
                put(service, "port", maybe(random, integer(random, 1, 65_535, 80)));
                put(service, "targetPort", maybe(random, integer(random, 1, 65_535, 8080)));
                spec.put("service", service);
            }
            Map<String, Object> strategy = new LinkedHashMap<>();
            strategy.put("type", blueGreen ? "BlueGreen" : random.nextInt(10) == 0 ? "Canary" : "Rolling");
            if (blueGreen || random.nextInt(10) == 0) {
                Map<String, Object> settings = new LinkedHashMap<>();
                int small = replicas instanceof Number n && n.longValue() >= 0 && n.longValue() < 10 ? n.intValue() : 2;
                put(settings, "previewReplicaCount", maybe(random, integer(random, 1, NONE, Math.max(1, small))));
                put(settings, "scaleDownDelaySeconds", maybe(random, integer(random, 0, 86_400, 30)));
                put(settings, "abortScaleDownDelaySeconds", maybe(random, integer(random, 0, 86_400, 30)));
                if (random.nextBoolean()) {
                    Map<String, Object> auto = new LinkedHashMap<>();
                    put(auto, "enabled", random.nextBoolean());
                    put(auto, "afterSeconds", maybe(random, integer(random, 0, 604_800, 0)));
                    settings.put("autoPromotion", auto);
                }
                strategy.put("blueGreen", settings);
            }
            spec.put("strategy", strategy);
            if (random.nextInt(3) == 0) {
                spec.put("analysis", analysis(random));
            }
            spec.put("template", template(random));
            return spec;
        }

        private static Map<String, Object> analysis(Random random) {
            Map<String, Object> analysis = new LinkedHashMap<>();
            put(analysis, "interval", maybe(random, pick(random, DURATIONS)));
            if (random.nextInt(4) > 0) {
                analysis.put("postPromotion", Map.of("duration", pick(random, DURATIONS)));
            }
            if (random.nextBoolean()) {
                analysis.put("prePromotion", Map.of("duration", pick(random, DURATIONS)));
            }
            put(analysis, "failureLimit", maybe(random, integer(random, 0, 1000, 0)));
            put(analysis, "consecutiveErrorLimit", maybe(random, integer(random, 0, 1000, 4)));
            if (random.nextBoolean()) {
                analysis.put("noData", random.nextBoolean() ? "Fail" : "Inconclusive");
            }
            List<Object> metrics = new ArrayList<>();
            int count = random.nextInt(3);
            for (int i = 0; i < count; i++) {
                Map<String, Object> metric = new LinkedHashMap<>();
                metric.put("name", random.nextInt(8) == 0 ? "Bad_Name" : "m" + (random.nextInt(8) == 0 ? 0 : i));
                if (random.nextBoolean()) {
                    Map<String, Object> prometheus = new LinkedHashMap<>();
                    prometheus.put("query", "sum(rate(errors{revision=\"{{revision}}\"}[1m]))");
                    prometheus.put("threshold", pick(random, new Object[] {0.05, 0, -1, 1e300}));
                    if (random.nextBoolean()) {
                        prometheus.put("address", pick(random, new Object[] {
                            "http://127.0.0.1:1", "ftp://x", "http://prometheus:9090/"
                        }));
                    }
                    metric.put("prometheus", prometheus);
                } else {
                    metric.put(
                            "cloudWatchAlarm",
                            random.nextBoolean()
                                    ? Map.of("alarmName", "blueshift-test-allowed/x")
                                    : Map.of("alarm", "errors"));
                }
                metrics.add(metric);
            }
            analysis.put("metrics", metrics);
            return analysis;
        }

        private static Map<String, Object> template(Random random) {
            Map<String, Object> container = new LinkedHashMap<>();
            container.put("name", "app");
            container.put("image", "registry.example/random:" + random.nextInt(1000));
            if (random.nextInt(4) == 0) {
                container.put("ports", List.of(Map.of("containerPort", integer(random, 1, 65_535, 8080))));
            }
            Map<String, Object> podSpec = new LinkedHashMap<>();
            podSpec.put("containers", random.nextInt(12) == 0 ? List.of() : List.of(container));
            if (random.nextInt(6) == 0) {
                podSpec.put("terminationGracePeriodSeconds", integer(random, 0, NONE, 30));
            }
            return Map.of("metadata", Map.of("labels", Map.of("team", "random")), "spec", podSpec);
        }

        /** A typical value, or min/max and one past, or past the range of a Java int; {@code max} NONE: no maximum in the schema. */
        private static Object integer(Random random, long min, long max, long typical) {
            int roll = random.nextInt(10);
            LongStream options = max == NONE
                    ? LongStream.of(min - 1, min, Integer.MAX_VALUE, HUGE)
                    : LongStream.of(min - 1, min, max, max + 1, HUGE);
            long[] edges = options.toArray();
            return roll < 9 ? typical : edges[random.nextInt(edges.length)];
        }

        private static Object maybe(Random random, Object value) {
            return random.nextInt(4) == 0 ? null : value;
        }

        private static Object pick(Random random, Object[] values) {
            return values[random.nextInt(values.length)];
        }

        private static void put(Map<String, Object> map, String key, Object value) {
            if (value != null) {
                map.put(key, value);
            }
        }
    }
}
