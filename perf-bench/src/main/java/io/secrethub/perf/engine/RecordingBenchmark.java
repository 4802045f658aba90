package io.secrethub.perf.engine;

import io.secrethub.perf.ThrowingRunnable;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-operation recording paths: {@link #record()} is one latency into the agent's {@link LatencySink}, as
 * {@link AgentWorker}'s loops do it per invocation; {@link #namedOperation()} is {@code agent.time("read", ...)}
 * through {@link AgentContext}. Run with {@code -prof gc} to show they allocate nothing
 * ({@code gc.alloc.rate.norm} ~ 0 B/op). In perf-junit's package because the engine types are internal.
 *
 * <p>{@code agents} picks the layout: up to 16 agents each own a {@code SingleWriterRecorder}, more share striped
 * {@code Recorder}s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RecordingBenchmark {

    @Param({"2", "100"})
    int agents;

    private static final ThrowingRunnable NO_OP = () -> {
    };

    private LatencySink sink;
    private AgentContext agent;
    private long start;

    @Setup
    public void setUp() {
        RecorderLayout layout = RecorderLayout.forAgents(agents);
        sink = new LatencyMetric("latency", layout).sinkFor(0);
        agent = new AgentContext(0, new SplittableRandom(1), new AgentStates(), new Recording(layout, false));
        agent.measuring = true;
        start = System.nanoTime();
    }

    @Benchmark
    public void record() {
        long now = System.nanoTime();
        sink.record(now - start);
        start = now;
    }

    @Benchmark
    public void namedOperation() throws Exception {
        agent.time("read", NO_OP);
    }
}
