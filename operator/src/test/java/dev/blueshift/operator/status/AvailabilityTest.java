package dev.blueshift.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Available: enough ready Pods serve, as a Deployment with its default maxUnavailable of 25% means it. */
class AvailabilityTest {
    @ParameterizedTest(name = "{1} ready of {0} desired: available {2}")
    @CsvSource({
        "0, 0, true",
        "1, 0, false",
        "1, 1, true",
        "2, 1, false",
        "2, 2, true",
        "3, 2, false",
        "3, 3, true",
        "4, 2, false",
        "4, 3, true",
        "10, 7, false",
        "10, 8, true",
        // scaled down by an HPA: the Pods still serving are more than enough
        "2, 5, true"
    })
    void enoughIsAllButAQuarterOfTheDesiredPods(int desired, int ready, boolean available) {
        Availability.Verdict verdict = Availability.of(desired, ready);
        assertThat(verdict.available()).isEqualTo(available);
        assertThat(verdict.reason()).isEqualTo(available ? Availability.ENOUGH : Availability.TOO_FEW);
        assertThat(verdict.message()).contains(ready + " ready Pods serve");
    }
}
