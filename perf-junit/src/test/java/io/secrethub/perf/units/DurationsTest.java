package io.secrethub.perf.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250us, 250000",
        "50ms, 50000000",
        "1.5s, 1500000000",
        "2m, 120000000000",
        "1h, 3600000000000",
        "10ns, 10",
        "0, 0",
        "0ms, 0",
        "' 5 ms ', 5000000",
        "0.5us, 500",
        ".25s, 250000000",
        "3.s, 3000000000",
        "1.0000000001s, 1000000000",
        "250µs, 250000",
        "50MS, 50000000",
    })
    void parsesNumberAndUnit(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 sec", "ms", "-1s", "1.2.3s", "1e3ms", "fast", "1s 500ms", "99999999999999h"})
    void rejectsAnythingElseNamingTheTextAndTheExpectedForm(String text) {
        assertThat(Durations.tryParse(text)).isEmpty();
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration: " + Durations.EXPECTED);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0 ns",
        "850, 850 ns",
        "999, 999 ns",
        "1000, 1 us",
        "12345, 12.3 us",
        "999700, 1 ms",
        "5030000, 5.03 ms",
        "50000000, 50 ms",
        "62149000, 62.1 ms",
        "1500000000, 1.5 s",
        "120000000000, 120 s",
    })
    void formatsToThreeSignificantDigitsInTheLargestFittingUnit(double nanos, String text) {
        assertThat(Durations.format(nanos)).isEqualTo(text);
    }
}
