package io.secrethub.perf.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void ratesKeepThreeSignificantDigitsBelowAThousandAndGroupAbove() {
        assertThat(Figures.rate(480)).isEqualTo("480/s");
        assertThat(Figures.rate(12.54)).isEqualTo("12.5/s");
        assertThat(Figures.rate(0.5)).isEqualTo("0.5/s");
        assertThat(Figures.rate(8_123_456.4)).isEqualTo("8,123,456/s");
        assertThat(Figures.rate(0)).isEqualTo("0/s");
    }

    @Test
    void percentagesAndCounts() {
        assertThat(Figures.percent(10.0)).isEqualTo("10%");
        assertThat(Figures.percent(0.049)).isEqualTo("0.049%");
        assertThat(Figures.percent(99.95)).isEqualTo("100%");
        assertThat(Figures.count(10_000)).isEqualTo("10,000");
    }

    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Figures.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Figures.median(List.of(8_000.0, 2_000.0, 8_000.0, 5_200.0))).isEqualTo(6_600.0);
        assertThat(Figures.median(List.of(7.0))).isEqualTo(7.0);
    }
}
