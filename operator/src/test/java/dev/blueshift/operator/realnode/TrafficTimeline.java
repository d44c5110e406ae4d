package dev.blueshift.operator.realnode;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the clients of a Service saw during a release, beside what the operator said it did: every
 * request (its revision, or its failure), every move of the Service's selector as a watch saw it,
 * and the operator's Events that announce such a move. Prints the timeline; checks that each move
 * has its Event and that the answers flipped with it.
 */
final class TrafficTimeline {
    /** The Events that announce a move of the active Service; each names the revision it moved to. */
    static final Set<String> MOVES = Set.of("Promoted", "FastRollback", "RolledBack", "SwitchedToBlueGreen");
    /** An Event's time is whole seconds (its lastTimestamp), recorded beside the Service's write. */
    static final Duration EVENT_SLACK = Duration.ofSeconds(2);
    /**
     * A request sent this long before the watch saw the move may still have been routed by the new
     * rules: on a busy machine the test's watch hears of the move late.
     */
    static final Duration ROUTED_EARLY = Duration.ofSeconds(1);
    /** kube-proxy rewrites its rules at most once a second: by then the old revision takes no new request. */
    static final Duration KUBE_PROXY_SYNC = Duration.ofSeconds(5);

    /** An Event of the operator on the MSD that moved the active Service. */
    record Announcement(Instant time, String reason, String message) {}

    /**
     * One move: as the watch saw it, the Event that announced it, when the answers flipped (relative
     * to the move), and the requests the new revision answered before it (how long before).
     */
    record Move(
            ActiveServiceTimeline.Switch seen,
            Optional<Announcement> announcement,
            Optional<Duration> firstNewAnswer,
            Optional<Duration> lastOldRequest,
            List<Duration> earlyAnswers) {}

    private final List<TrafficRecorder.Request> requests;
    private final List<ActiveServiceTimeline.Switch> switches;
    private final List<Announcement> announcements;
    private final Instant t0;

    TrafficTimeline(ServiceTraffic.Recording recording, List<Announcement> announcements) {
        this.requests = recording.requests().stream()
                .sorted(Comparator.comparing(TrafficRecorder.Request::start))
                .toList();
        this.switches = recording.switches();
        this.announcements = announcements;
        this.t0 = requests.isEmpty() ? Instant.now() : requests.get(0).start();
    }

    /** The operator's Events on {@code msd} that moved its active Service, oldest first. */
    static List<Announcement> announcements(KubernetesClient client, String namespace, String msd) {
        return client
                .v1()
                .events()
                .inNamespace(namespace)
                .withField("involvedObject.name", msd)
                .list()
                .getItems()
                .stream()
                .filter(e -> MOVES.contains(e.getReason()))
                .map(e -> new Announcement(time(e), e.getReason(), e.getMessage()))
                .sorted(Comparator.comparing(Announcement::time))
                .toList();
    }

    private static Instant time(Event e) {
        String at = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getFirstTimestamp();
        return Instant.parse(at);
    }

    List<TrafficRecorder.Request> requests() {
        return requests;
    }

    List<ActiveServiceTimeline.Switch> switches() {
        return switches;
    }

    Instant start() {
        return t0;
    }

    List<TrafficRecorder.Request> failed() {
        return requests.stream().filter(TrafficRecorder.Request::failed).toList();
    }

    /** Each move the watch saw, with its Event (the one within the slack that names the new revision). */
    List<Move> moves() {
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < switches.size(); i++) {
            ActiveServiceTimeline.Switch s = switches.get(i);
            Instant next = i + 1 < switches.size() ? switches.get(i + 1).seen() : Instant.MAX;
            Instant previous = i > 0 ? switches.get(i - 1).seen() : Instant.MIN;
            Optional<Announcement> announcement = announcements.stream()
                    .filter(a -> s.to() != null && a.message().contains(s.to()))
                    .filter(a -> !a.time().isBefore(s.seen().minus(EVENT_SLACK))
                            && !a.time().isAfter(s.seen().plus(EVENT_SLACK)))
                    .findFirst();
            // The flip: the first answer by the new revision after the last one by the old sent before the move.
            Instant lastOldBefore = requests.stream()
                    .filter(r -> r.start().isAfter(previous) && !r.start().isAfter(s.seen()))
                    .filter(r -> s.from() != null && s.from().equals(r.revision()))
                    .map(TrafficRecorder.Request::start)
                    .max(Comparator.naturalOrder())
                    .orElse(previous);
            Optional<Duration> firstNew = requests.stream()
                    .filter(r -> r.start().isAfter(lastOldBefore) && r.start().isBefore(next))
                    .filter(r -> Objects.equals(s.to(), r.revision()))
                    .map(r -> Duration.between(s.seen(), r.start()))
                    .min(Comparator.naturalOrder());
            Optional<Duration> lastOld = requests.stream()
                    .filter(r -> r.start().isAfter(s.seen()) && r.start().isBefore(next))
                    .filter(r -> s.from() != null && s.from().equals(r.revision()))
                    .map(r -> Duration.between(s.seen(), r.start()))
                    .max(Comparator.naturalOrder());
            // Answers by the new revision before the move, once the previous move had reached kube-proxy.
            Instant earlyFrom = previous.equals(Instant.MIN) ? Instant.MIN : previous.plus(KUBE_PROXY_SYNC);
            List<Duration> early = s.from() == null
                    ? List.of()
                    : requests.stream()
                            .filter(r -> r.start().isAfter(earlyFrom)
                                    && r.start().isBefore(s.seen().minus(ROUTED_EARLY)))
                            .filter(r -> s.to() != null && s.to().equals(r.revision()))
                            .map(r -> Duration.between(r.start(), s.seen()))
                            .toList();
            moves.add(new Move(s, announcement, firstNew, lastOld, early));
        }
        return moves;
    }

    /**
     * What disagrees: a move without its Event, an Event without its move, a new revision that
     * answered before its move, an old one that still answered after kube-proxy's sync.
     */
    List<String> disagreements() {
        List<String> problems = new ArrayList<>();
        List<Move> moves = moves();
        for (Move m : moves) {
            ActiveServiceTimeline.Switch s = m.seen();
            if (s.from() != null && m.announcement().isEmpty()) {
                problems.add("the active Service moved " + s.from() + " -> " + s.to() + " at " + s.seen()
                        + " without an Event of the operator saying so");
            }
            m.earlyAnswers().stream()
                    .max(Comparator.naturalOrder())
                    .ifPresent(d -> problems.add(s.to() + " answered a request sent " + d.toMillis()
                            + " ms before the active Service moved to it ("
                            + m.earlyAnswers().size() + " such)"));
            m.lastOldRequest()
                    .filter(d -> d.compareTo(KUBE_PROXY_SYNC) > 0)
                    .ifPresent(d -> problems.add(s.from() + " still answered a request sent " + d.toMillis()
                            + " ms after the active Service left it"));
        }
        for (Announcement a : announcements) {
            boolean seen = moves.stream()
                    .anyMatch(m -> m.announcement().filter(a::equals).isPresent());
            if (!seen && !a.time().isBefore(t0)) {
                problems.add("Event " + a.reason() + " at " + a.time() + " (\"" + a.message()
                        + "\") but the watch saw no such move");
            }
        }
        return problems;
    }

    /** The timeline as lines: totals, each move with its Event and how the answers flipped, latency, requests per second. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                "%d requests over %.1f s, %d failed; answered by revision %s; injected faults (500s the bad revision chose) %s",
                requests.size(),
                requests.isEmpty()
                        ? 0.0
                        : Duration.between(t0, requests.get(requests.size() - 1).end())
                                        .toMillis()
                                / 1000.0,
                failed().size(),
                countBy(requests.stream().filter(r -> !r.failed()).toList()),
                countBy(requests.stream()
                        .filter(TrafficRecorder.Request::injectedFault)
                        .toList())));
        for (Move m : moves()) {
            ActiveServiceTimeline.Switch s = m.seen();
            lines.add(String.format(
                    "+%7.3f s  %-19s %s -> %s; %s; first answer by %s %s; last request answered by %s sent %s",
                    seconds(s.seen()),
                    m.announcement().map(Announcement::reason).orElse("(no Event)"),
                    s.from(),
                    s.to(),
                    m.announcement()
                            .map(a -> "Event at " + a.time() + ": \"" + a.message() + "\"")
                            .orElse("no Event"),
                    s.to(),
                    m.firstNewAnswer().map(TrafficTimeline::relative).orElse("never"),
                    s.from(),
                    m.lastOldRequest().map(TrafficTimeline::relative).orElse("never after it")));
        }
        for (TrafficRecorder.Request r : failed().stream().limit(10).toList()) {
            lines.add(String.format(
                    "+%7.3f s  FAILED after %d ms: status %d %s",
                    seconds(r.start()), Duration.between(r.start(), r.end()).toMillis(), r.status(), r.error()));
        }
        if (!requests.isEmpty()) {
            List<Long> millis = requests.stream()
                    .map(r -> Duration.between(r.start(), r.end()).toMillis())
                    .sorted()
                    .toList();
            lines.add(String.format(
                    "latency ms: p50 %d, p99 %d, max %d; over 1 s: %d",
                    millis.get(millis.size() / 2),
                    millis.get((int) (millis.size() * 0.99)),
                    millis.get(millis.size() - 1),
                    millis.stream().filter(ms -> ms > 1000).count()));
        }
        perSecond().forEach((second, counts) -> lines.add(String.format("+%4d s %s", second, counts)));
        return lines;
    }

    /** Requests by second since the first, by revision ("FAILED" for the failed, revision + " 500" for injected faults). */
    Map<Long, Map<String, Long>> perSecond() {
        return new TreeMap<>(requests.stream()
                .collect(Collectors.groupingBy(
                        r -> Duration.between(t0, r.start()).toSeconds(),
                        Collectors.groupingBy(TrafficTimeline::outcome, TreeMap::new, Collectors.counting()))));
    }

    static String outcome(TrafficRecorder.Request r) {
        if (r.failed()) {
            return "FAILED";
        }
        return r.injectedFault() ? r.revision() + " 500" : r.revision();
    }

    double seconds(Instant at) {
        return Duration.between(t0, at).toMillis() / 1000.0;
    }

    private static String relative(Duration d) {
        return (d.isNegative() ? "" : "+") + d.toMillis() + " ms after the move";
    }

    private static Map<String, Long> countBy(List<TrafficRecorder.Request> requests) {
        return requests.stream()
                .collect(Collectors.groupingBy(TrafficRecorder.Request::revision, TreeMap::new, Collectors.counting()));
    }
}
