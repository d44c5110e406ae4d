package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The spec's durations parse without ever throwing: a spec the API server accepted never fails a reconcile. */
class StageDurationsTest {
    @Test
    void wholeNumbersWithAUnit() {
        assertThat(StageDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(StageDurations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(StageDurations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(StageDurations.parse("99999h")).isEqualTo(Duration.ofHours(99999));
        assertThat(StageDurations.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(StageDurations.parse("007s")).isEqualTo(Duration.ofSeconds(7));
    }

    /** Accepted by the CRD before its pattern bounded the digits: such an MSD may still exist. */
    @Test
    void aNumberTooLargeForALongCountsAsTheMaximum() {
        assertThat(StageDurations.parse("99999999999999999999s")).isEqualTo(StageDurations.MAX);
        assertThat(StageDurations.parse("9223372036854775807h")).isEqualTo(StageDurations.MAX);
        assertThat(StageDurations.parse("9999999999999ms")).isEqualTo(StageDurations.MAX);
        assertThat(StageDurations.parse("000000000000000000000000001s")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void textThatIsNoDurationCountsAsZeroInsteadOfThrowing() {
        for (String text : new String[] {null, "", " ", "s", "ms", "5", "5d", "five s", "-5s", "5.5s", "m5"}) {
            assertThat(StageDurations.parse(text)).as(String.valueOf(text)).isEqualTo(Duration.ZERO);
        }
    }
}
