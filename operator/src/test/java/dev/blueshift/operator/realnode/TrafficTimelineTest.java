package dev.blueshift.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeline's judgement of recorded traffic against the operator's Events, and its plot. */
class TrafficTimelineTest {
    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
    private static final String MOVED = "The active Service moved from revision a to b.";

    @Test
    void aMoveAnnouncedByItsEventWithTheAnswersFlippingAgrees() {
        TrafficTimeline timeline = movedAt5s(traffic(0, 10_000, 5_300, null), 5_000);

        assertThat(timeline.disagreements()).isEmpty();
        assertThat(timeline.failed()).isEmpty();
        TrafficTimeline.Move move = timeline.moves().get(0);
        assertThat(move.firstNewAnswer())
                .hasValueSatisfying(d -> assertThat(d.toMillis()).isEqualTo(300));
        assertThat(move.lastOldRequest())
                .hasValueSatisfying(d -> assertThat(d.toMillis()).isEqualTo(200));
    }

    @Test
    void aMoveWithoutItsEventDisagrees() {
        TrafficTimeline timeline = movedAt5s(traffic(0, 10_000, 5_300, null), 9_000);

        assertThat(timeline.disagreements())
                .anyMatch(d -> d.contains("without an Event"))
                .anyMatch(d -> d.contains("the watch saw no such move"));
    }

    @Test
    void answersOfTheNewRevisionBeforeTheMoveOrOfTheOldLongAfterDisagree() {
        TrafficTimeline early = movedAt5s(traffic(0, 10_000, 3_000, null), 5_000);
        TrafficTimeline late = movedAt5s(traffic(0, 12_000, 11_000, null), 5_000);

        assertThat(early.disagreements()).anyMatch(d -> d.contains("b answered a request sent 2000 ms before"));
        assertThat(late.disagreements()).anyMatch(d -> d.contains("a still answered a request sent 5900 ms after"));
    }

    @Test
    void noAnswerFailsAndAnInjectedFaultIsCountedApart() {
        List<TrafficRecorder.Request> requests = new ArrayList<>(traffic(0, 2_000, 1_000, null));
        requests.add(new TrafficRecorder.Request(at(2_100), at(7_100), 0, null, "SocketTimeoutException"));
        requests.add(new TrafficRecorder.Request(at(2_200), at(2_210), 500, "b", TrafficRecorder.INJECTED_FAULT));
        requests.add(new TrafficRecorder.Request(at(2_300), at(2_310), 503, null, "HTTP 503"));
        TrafficTimeline timeline = timeline(requests, List.of(), List.of());

        assertThat(timeline.failed())
                .extracting(TrafficRecorder.Request::status)
                .containsExactly(0, 503);
        assertThat(timeline.perSecond().get(2L)).containsEntry("FAILED", 2L).containsEntry("b 500", 1L);
    }

    @Test
    void thePlotIsAPng(@TempDir Path dir) throws Exception {
        TrafficTimeline timeline = movedAt5s(traffic(0, 10_000, 5_300, null), 5_000);
        Path png = dir.resolve("plot.png");

        TrafficPlot.write(timeline, "test", png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(500);
        assertThat(image.getHeight()).isGreaterThan(200);
    }

    /** The active Service moved from a to b at 5 s; the operator's Promoted Event says so at {@code eventMillis}. */
    private static TrafficTimeline movedAt5s(List<TrafficRecorder.Request> requests, long eventMillis) {
        return timeline(
                requests,
                List.of(new ActiveServiceTimeline.Switch(at(5_000), "a", "b")),
                List.of(new TrafficTimeline.Announcement(at(eventMillis), "Promoted", MOVED)));
    }

    private static TrafficTimeline timeline(
            List<TrafficRecorder.Request> requests,
            List<ActiveServiceTimeline.Switch> switches,
            List<TrafficTimeline.Announcement> announcements) {
        return new TrafficTimeline(new ServiceTraffic.Recording(requests, switches), announcements);
    }

    /** A request every 100 ms from {@code from} to {@code to}: revision a before {@code flip}, b from it. */
    private static List<TrafficRecorder.Request> traffic(long from, long to, long flip, String error) {
        List<TrafficRecorder.Request> requests = new ArrayList<>();
        for (long t = from; t < to; t += 100) {
            requests.add(new TrafficRecorder.Request(at(t), at(t + 5), 200, t < flip ? "a" : "b", error));
        }
        return requests;
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }
}
