package io.secrethub.perf.engine;

import io.secrethub.perf.LoadSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.locks.LockSupport;

/**
 * One agent's life: {@code @BeforeAgent} methods, warm-up, the start barrier, an optional ramp-up delay, and the
 * measured loop of the closed or open model.
 *
 * <p>The measured loops are the hot path of the whole library: per invocation they read the clock twice, invoke
 * the method reflectively and record one value into a recorder, with no allocation, lock or lambda.
 */
final class AgentWorker implements Runnable {

    /**
     * The last stretch of a wait for an arrival is spun rather than parked: parking overshoots by some 50 µs (the
     * kernel's timer slack), which would show as latency from the intended start.
     */
    private static final long SPIN_NANOS = 100_000;

    private final LoadPlan plan;
    private final LoadSettings settings;
    private final AgentContext agent;
    private final Object[] arguments;
    private final RunControl control;
    private final ArrivalSchedule schedule;
    private final LatencySink latency;
    private final LatencySink serviceTime;
    private final ErrorTally errors;
    private final long rampOffsetNanos;

    /** {@code System.nanoTime()} when the measured loop ended; 0 if it never ran. Read after {@code done}. */
    private long finishNanos;
    /** In the open model, the longest an arrival waited for this agent past its intended start. */
    private long maxLagNanos;
    /** Heap bytes this agent's thread allocated in its measured loop, or {@code AllocationCounter.UNAVAILABLE}. */
    private long allocatedBytes = AllocationCounter.UNAVAILABLE;
    /** CPU time this agent's thread used in its measured loop, or {@code CpuCounter.UNAVAILABLE}. */
    private long cpuNanos = CpuCounter.UNAVAILABLE;

    AgentWorker(LoadPlan plan, AgentContext agent, Recording recording, RunControl control, ArrivalSchedule schedule) {
        this.plan = plan;
        this.settings = plan.settings();
        this.agent = agent;
        this.arguments = plan.argumentsFor(agent);
        this.control = control;
        this.schedule = schedule;
        this.latency = recording.latency().sinkFor(agent.id());
        this.serviceTime = recording.serviceTime() == null ? null : recording.serviceTime().sinkFor(agent.id());
        this.errors = recording.errors();
        this.rampOffsetNanos = settings.rampUp().toNanos() / settings.agents() * agent.id();
    }

    long finishNanos() {
        return finishNanos;
    }

    long maxLagNanos() {
        return maxLagNanos;
    }

    long cpuNanos() {
        return cpuNanos;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }

    @Override
    public void run() {
        try {
            prepare();
            measure();
        } finally {
            control.done.countDown();
        }
    }

    private void prepare() {
        try {
            plan.runBeforeAgentMethods(agent);
            warmUp();
        } catch (AgentSetupException failure) {
            control.abort(failure);
        } catch (Throwable failure) {
            control.abort(new AgentSetupException(
                    plan.label() + ": agent " + agent.id() + " could not warm up: " + failure, failure));
        } finally {
            control.ready.countDown();
        }
    }

    private void measure() {
        try {
            control.awaitRelease();
        } catch (InterruptedException interrupted) {
            return;
        }
        if (control.stopped) {
            return;
        }
        long start = control.startNanos;
        if (rampOffsetNanos > 0) {
            waitUntil(start + rampOffsetNanos);
        }
        long allocatedBefore = AllocationCounter.currentThreadBytes();
        long cpuBefore = CpuCounter.currentThreadNanos();
        agent.measuring = true;
        if (settings.openModel()) {
            measureOpen(start);
        } else if (settings.durationBased()) {
            measureForDuration(start + settings.duration().toNanos());
        } else {
            measureIterations(settings.iterations());
        }
        // Also when a breached window stopped the run: the coordinator ends such a run normally, at the last finish.
        // A timeout or an abort ends it at the coordinator's own clock instead.
        finishNanos = System.nanoTime();
        long allocatedAfter = AllocationCounter.currentThreadBytes();
        long cpuAfter = CpuCounter.currentThreadNanos();
        if (cpuBefore != CpuCounter.UNAVAILABLE && cpuAfter != CpuCounter.UNAVAILABLE) {
            cpuNanos = cpuAfter - cpuBefore;
        }
        if (allocatedBefore != AllocationCounter.UNAVAILABLE && allocatedAfter != AllocationCounter.UNAVAILABLE) {
            allocatedBytes = allocatedAfter - allocatedBefore;
        }
    }

    private void warmUp() throws ReflectiveOperationException {
        SteadyWarmup steady = control.steadyWarmup;
        if (steady != null) {
            steady.agentStarted();
            for (long i = 0; !control.stopped && !steady.over(); i++) {
                warmUpOnce(i);
                steady.invoked();
            }
        } else if (!settings.warmupDuration().isZero()) {
            long end = System.nanoTime() + settings.warmupDuration().toNanos();
            for (long i = 0; !control.stopped && System.nanoTime() - end < 0; i++) {
                warmUpOnce(i);
            }
        } else {
            for (int i = 0; i < settings.warmupIterations() && !control.stopped; i++) {
                warmUpOnce(i);
            }
        }
    }

    private void warmUpOnce(long iteration) throws ReflectiveOperationException {
        agent.iteration = iteration;
        try {
            plan.method().invoke(plan.target(), arguments);
        } catch (InvocationTargetException excludedLikeEverythingElseInWarmUp) {
            // Warm-up is excluded from every statistic, failures included.
        }
    }

    private void measureIterations(int iterations) {
        final Method method = plan.method();
        final Object target = plan.target();
        final Object[] args = arguments;
        final LatencySink sink = latency;
        final AgentContext context = agent;
        for (int i = 0; i < iterations; i++) {
            if (control.stopped) {
                return;
            }
            context.iteration = i;
            long start = System.nanoTime();
            try {
                method.invoke(target, args);
                sink.record(System.nanoTime() - start);
            } catch (InvocationTargetException failure) {
                failed(failure.getCause());
            } catch (IllegalAccessException | IllegalArgumentException misuse) {
                control.abort(misuse);
                return;
            }
        }
    }

    private void measureForDuration(long deadline) {
        final Method method = plan.method();
        final Object target = plan.target();
        final Object[] args = arguments;
        final LatencySink sink = latency;
        final AgentContext context = agent;
        long now = System.nanoTime();
        for (long i = 0; now - deadline < 0; i++) {
            if (control.stopped) {
                return;
            }
            context.iteration = i;
            long start = now;
            try {
                method.invoke(target, args);
                now = System.nanoTime();
                sink.record(now - start);
            } catch (InvocationTargetException failure) {
                now = System.nanoTime();
                failed(failure.getCause());
            } catch (IllegalAccessException | IllegalArgumentException misuse) {
                control.abort(misuse);
                return;
            }
        }
    }

    private void measureOpen(long start) {
        final Method method = plan.method();
        final Object target = plan.target();
        final Object[] args = arguments;
        for (long i = 0; ; i++) {
            if (control.stopped) {
                return;
            }
            long offset = schedule.claim();
            if (offset == ArrivalSchedule.NONE) {
                return;
            }
            long intended = start + offset;
            waitUntil(intended);
            long actual = System.nanoTime();
            long lag = actual - intended;
            if (lag > maxLagNanos) {
                maxLagNanos = lag;
            }
            agent.iteration = i;
            try {
                method.invoke(target, args);
                long end = System.nanoTime();
                // From the intended start: time spent waiting for a free agent is time the caller waited too.
                latency.record(end - intended);
                serviceTime.record(end - actual);
            } catch (InvocationTargetException failure) {
                failed(failure.getCause());
            } catch (IllegalAccessException | IllegalArgumentException misuse) {
                control.abort(misuse);
                return;
            }
        }
    }

    private void failed(Throwable failure) {
        // After a stop, failures are mostly the interrupts that ended the run, not the system's behaviour.
        if (!control.stopped) {
            errors.record(failure);
        }
    }

    private void waitUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0 && !control.stopped) {
            if (remaining > SPIN_NANOS) {
                LockSupport.parkNanos(remaining - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
