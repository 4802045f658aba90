package io.secrethub.perf.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.gate.PairedComparison.Metric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;

class PairedGateTest {

    private static final String DELAY_KEY = "gate.fixture.delayMillis";

    @Test
    void aHeadThatIsSlowerInEveryRoundFailsTheGateNamingTheFigure(@TempDir Path out) throws Exception {
        String classpath = System.getProperty("java.class.path");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        int status = new PairedGate(PairedGate.Options.parse(
                "--base-classpath", classpath, "--head-classpath", classpath,
                "--select", Sleeper.class.getName(), "--forks", "2", "--rounds", "2", "--warmup-rounds", "1",
                "--metrics", "p50", "--tolerance", "100",
                "--base-param", DELAY_KEY + "=2", "--head-param", DELAY_KEY + "=30",
                "--out", out.toString()), new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isEqualTo(PairedGate.EXIT_REGRESSION);
        assertThat(printed)
                .contains("gate: JVM pair 1/2, warm-up round 1/1: base", "gate: JVM pair 2/2, round 2/2:")
                .containsPattern("REGRESSION +PairedGateTest.Sleeper.call p50: .* -> .*, median change \\+\\d+")
                .contains("gate: FAIL, 1 figure(s) regressed beyond 100.0%:");
        assertThat(Files.readAllLines(out.resolve("verdict.txt"))).singleElement().asString()
                .startsWith("REGRESSION");
        // Every round of each side left its own reports, and the warm-up's are kept apart.
        assertThat(out.resolve("base/fork-2/round-2")).isDirectoryContaining("glob:**.json");
        assertThat(out.resolve("head/fork-1/warmup-1")).isDirectoryContaining("glob:**.json");
        // Each pair of JVMs has its own logs.
        assertThat(out.resolve("head-fork-1.log")).exists();
        assertThat(out.resolve("base-fork-2.log")).exists();
    }

    @Test
    void equalSidesPassAndSayHowManyRoundsWereCompared(@TempDir Path out) {
        String classpath = System.getProperty("java.class.path");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        int status = new PairedGate(PairedGate.Options.parse(
                "--base-classpath", classpath, "--head-classpath", classpath,
                "--select", Sleeper.class.getName() + "#call", "--forks", "1", "--rounds", "2",
                "--warmup-rounds", "0", "--metrics", "p50", "--tolerance", "100", "--param", DELAY_KEY + "=20",
                "--out", out.toString()), new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isEqualTo(PairedGate.EXIT_PASS);
        assertThat(printed).containsPattern("ok +PairedGateTest.Sleeper.call p50: 2\\d\\.?\\d* ms -> 2\\d")
                .contains("gate: PASS, no median paired change beyond 100.0% in 2 rounds (1 pair(s) of JVMs x 2)");
    }

    @Test
    void aSelectorThatMatchesNoTestStopsTheGateWithItsReason(@TempDir Path out) {
        String classpath = System.getProperty("java.class.path");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        int status = new PairedGate(PairedGate.Options.parse("--base-classpath", classpath,
                "--head-classpath", classpath, "--select", "com.example.NoSuchLoadTest", "--out", out.toString()),
                new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        assertThat(status).isEqualTo(PairedGate.EXIT_ERROR);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("gate: could not measure: base: ERROR no test matched the selectors");
    }

    @Test
    void eachSideRunsFirstInAsManyMeasuredRoundsAsTheOther() {
        for (int rounds = 1; rounds <= 5; rounds++) {
            int baseFirst = 0;
            for (int fork = 1; fork <= 2; fork++) {
                for (int round = 1; round <= rounds; round++) {
                    baseFirst += PairedGate.baseRunsFirst(fork, round) ? 1 : 0;
                    if (round > 1) {
                        assertThat(PairedGate.baseRunsFirst(fork, round))
                                .as("ABBA: the first side alternates (pair %d, round %d)", fork, round)
                                .isNotEqualTo(PairedGate.baseRunsFirst(fork, round - 1));
                    }
                }
            }
            assertThat(baseFirst).as("two pairs of %d rounds: base first in half of them", rounds)
                    .isEqualTo(rounds);
        }
        assertThat(PairedGate.baseRunsFirst(2, 1)).as("the second pair starts with the other side")
                .isNotEqualTo(PairedGate.baseRunsFirst(1, 1));
    }

    @Test
    void anOddNumberOfPairsIsRunWithANoteOnTheStartOrder() {
        assertThat(PairedGate.startOrderNote(3)).hasValueSatisfying(note -> assertThat(note)
                .contains("with 3 pairs of JVMs base is started first in 2 and head in 1"));
        assertThat(PairedGate.startOrderNote(1)).as("one pair cannot be balanced: nothing to say").isEmpty();
        assertThat(PairedGate.startOrderNote(2)).isEmpty();
        assertThat(PairedGate.startOrderNote(4)).isEmpty();
    }

    @Test
    void optionsAreCheckedAndNamed(@TempDir Path dir) throws Exception {
        Path cp = Files.writeString(dir.resolve("head.cp"), "a.jar:b.jar\n");
        PairedGate.Options options = PairedGate.Options.parse("--base-classpath", "x.jar", "--head-classpath",
                "@" + cp, "--select", "a.B,c.D#e", "--metrics", "throughput,p99", "--param", "perf.duration=2s");

        assertThat(options.headClasspath()).isEqualTo("a.jar:b.jar");
        assertThat(options.selectors()).containsExactly("a.B", "c.D#e");
        assertThat(options.metrics()).containsExactly(Metric.THROUGHPUT, Metric.P99);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.forks()).isEqualTo(2);
        assertThat(options.tolerancePercent()).isEqualTo(15);
        assertThat(options.params()).containsEntry("perf.duration", "2s");

        List.of(
                List.of(new String[] {"--rounds", "0"}, "--rounds must be a whole number >= 1, was '0'"),
                List.of(new String[] {"--tolerance", "-5"}, "--tolerance must be a percentage >= 0, was '-5'"),
                List.of(new String[] {"--param", "novalue"}, "--param expects key=value, got 'novalue'"),
                List.of(new String[] {"--bogus", "1"}, "unknown option '--bogus'"),
                List.of(new String[] {"--rounds"}, "--rounds needs a value")).forEach(c -> {
                    String[] extra = (String[]) c.get(0);
                    String[] args = concat(new String[] {"--base-classpath", "x", "--head-classpath", "y",
                        "--select", "a.B"}, extra);
                    assertThatThrownBy(() -> PairedGate.Options.parse(args)).hasMessageContaining((String) c.get(1));
                });
        assertThatThrownBy(() -> PairedGate.Options.parse("--head-classpath", "y", "--select", "a.B"))
                .hasMessage("--base-classpath is required");
        assertThatThrownBy(() -> PairedGate.Options.parse("--base-classpath", "x", "--head-classpath", "y"))
                .hasMessage("--select names no test class: give at least one");
        assertThatThrownBy(() -> PairedGate.Options.parse("--base-classpath", "@" + dir.resolve("missing"),
                "--head-classpath", "y", "--select", "a.B")).hasMessageStartingWith("--base-classpath: cannot read");
    }

    @Test
    void theWorkerProtocolRefusesMalformedRequests() {
        assertThatThrownBy(() -> GateWorker.parse("GO\ta.B")).hasMessageStartingWith("expected 'RUN<TAB>selectors");
        assertThatThrownBy(() -> GateWorker.parse("RUN\ta.B\tnovalue"))
                .hasMessage("expected key=value, got 'novalue'");
        assertThatThrownBy(() -> GateWorker.parse("RUN\tcom.example.Missing#reads"))
                .hasMessage("no class com.example.Missing on this side's class path");
        assertThatThrownBy(() -> GateWorker.parse("RUN\t" + Sleeper.class.getName() + "#nothing"))
                .hasMessage("no method nothing in " + Sleeper.class.getName());
        LauncherDiscoveryRequest request = GateWorker.parse("RUN\ta.B," + Sleeper.class.getName() + "#call\tk=v=w");
        assertThat(request.getConfigurationParameters().get("k")).hasValue("v=w");
        assertThat(request.getSelectorsByType(MethodSelector.class)).singleElement()
                .satisfies(m -> assertThat(m.getMethodName()).isEqualTo("call"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The delay each side was given. */
    record Delay(long millis) {
    }

    /** Hands the fixture the delay configured for its side. */
    static final class DelayResolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Delay.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return new Delay(context.getConfigurationParameter(DELAY_KEY).map(Long::parseLong).orElse(1L));
        }
    }

    @ExtendWith(DelayResolver.class)
    static class Sleeper {
        @LoadTest(agents = 2, iterations = 10)
        void call(Delay delay) throws InterruptedException {
            Thread.sleep(delay.millis());
        }
    }
}
