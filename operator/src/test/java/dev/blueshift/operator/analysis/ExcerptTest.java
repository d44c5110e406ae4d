package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptTest {
    @Test
    void controlAndInvisibleCharactersAreDroppedAndLineBreaksBecomeSpaces() {
        assertThat(Excerpt.of("parse error:\n\tunexpected \u001b[31m\"}\"\u0000\u0007", 200))
                .isEqualTo("parse error:  unexpected [31m\"}\"");
        // Bidi overrides, zero-width and private-use characters could disguise text in kubectl's output.
        assertThat(Excerpt.of("a\u202Eb\u200Bc\uE000d\u2028e", 200)).isEqualTo("abcde");
        assertThat(Excerpt.of("Größe: 5 µs – ok", 200)).isEqualTo("Größe: 5 µs – ok");
    }

    @Test
    void longTextIsCutAtTheMaximumAndMarked() {
        String cut = Excerpt.of("x".repeat(199) + "yz" + "SECRET", 200);
        assertThat(cut).isEqualTo("x".repeat(199) + "y...");
        assertThat(Excerpt.of("x".repeat(200), 200)).isEqualTo("x".repeat(200));
        assertThat(Excerpt.of("x".repeat(200) + "\u0000\n", 200)).isEqualTo("x".repeat(200) + "...");
        assertThat(Excerpt.of(null, 200)).isEmpty();
    }
}
