package io.secrethub.perf.engine;

import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.WarmupOutcome;
import io.secrethub.perf.slo.MeasuredScope;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Coordinates one run from the test's own thread: starts the agents, waits until all are set up and warmed up,
 * opens the start barrier, waits for the end, and enforces the timeout.
 */
final class LoadRunner {

    /** How long stopped agents get to notice and leave before the coordinator stops waiting for them. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final LoadPlan plan;
    private final LoadSettings settings;
    private final Recording recording;
    private final IntervalSampler sampler;
    private final AgentStates states;
    private final ThreadFactory threads;
    private final JfrProfile profile;

    /** @param profile the JFR recording of the measured part, or {@code null} */
    LoadRunner(LoadPlan plan, Recording recording, IntervalSampler sampler, AgentStates states,
            ThreadFactory threads, JfrProfile profile) {
        this.plan = plan;
        this.settings = plan.settings();
        this.recording = recording;
        this.sampler = sampler;
        this.states = states;
        this.threads = threads;
        this.profile = profile;
        // Before run() starts the timeout's clock: the first MXBean lookups of a JVM are slow.
        CpuCounter.prepare();
    }

    /** Runs the load; returns once every agent has finished, or the timeout or an abort ended the run. */
    RunOutcome run() throws InterruptedException {
        long deadline = settings.hasTimeout() ? System.nanoTime() + settings.timeout().toNanos() : Long.MAX_VALUE;
        SteadyWarmup steadyWarmup = settings.warmupUntilSteady()
                ? new SteadyWarmup(settings.agents(), settings.warmupDuration()) : null;
        RunControl control = new RunControl(settings.agents(), steadyWarmup);
        ArrivalSchedule schedule = settings.openModel() ? new ArrivalSchedule(settings) : null;
        AgentWorker[] workers = new AgentWorker[settings.agents()];
        Thread[] agentThreads = new Thread[settings.agents()];
        long methodSalt = plan.method().getName().hashCode();
        for (int id = 0; id < workers.length; id++) {
            // Seeded per agent and method: the same perf.seed replays every agent's draws.
            SplittableRandom random = new SplittableRandom(mix(settings.seed(), id, methodSalt));
            AgentContext agent = new AgentContext(id, random, states, recording);
            workers[id] = new AgentWorker(plan, agent, recording, control, schedule);
            agentThreads[id] = threads.newThread(workers[id]);
        }
        GcPauses gcPauses = null;
        try {
            Thread watcher = null;
            if (steadyWarmup != null) {
                watcher = new Thread(() -> steadyWarmup.watch(control), "perf-warmup-watcher");
                watcher.setDaemon(true);
                watcher.start();
            }
            for (Thread thread : agentThreads) {
                thread.start();
            }
            if (!await(control.ready, deadline) || control.stopped) {
                return stop(control, agentThreads, null, 0, deadline);
            }
            WarmupOutcome warmup = WarmupOutcome.FIXED;
            if (watcher != null) {
                watcher.join();
                warmup = steadyWarmup.outcome();
                sampler.note("warm-up " + warmup.describe());
            }
            if (profile != null) {
                // Before the clock starts: JFR's start-up is not the system under test's time.
                profile.start();
            }
            long processCpuAtStart = CpuCounter.processNanos();
            long statementsAtStart = StatementCounter.count();
            Instant startedAt = Instant.now();
            long start = System.nanoTime();
            control.startNanos = start;
            gcPauses = GcPauses.start();
            sampler.start(start, control);
            control.release(agentThreads);
            if (!await(control.done, deadline) || control.abortCause() != null) {
                gcPauses.stop();
                stopProfile();
                return stop(control, agentThreads, startedAt, start, deadline);
            }
            long end = 0;
            long maxLag = 0;
            long allocated = 0;
            long agentCpu = 0;
            for (AgentWorker worker : workers) {
                agentCpu = agentCpu == CpuCounter.UNAVAILABLE || worker.cpuNanos() == CpuCounter.UNAVAILABLE
                        ? CpuCounter.UNAVAILABLE : agentCpu + worker.cpuNanos();
                end = Math.max(end, worker.finishNanos());
                maxLag = Math.max(maxLag, worker.maxLagNanos());
                // One agent without a count makes the sum unknown, not smaller.
                allocated = allocated == AllocationCounter.UNAVAILABLE
                        || worker.allocatedBytes() == AllocationCounter.UNAVAILABLE
                        ? AllocationCounter.UNAVAILABLE : allocated + worker.allocatedBytes();
            }
            gcPauses.stop();
            stopProfile();
            long processCpuAtEnd = CpuCounter.processNanos();
            long statementsAtEnd = StatementCounter.count();
            sampler.finish(end);
            long processCpu = processCpuAtStart == CpuCounter.UNAVAILABLE || processCpuAtEnd == CpuCounter.UNAVAILABLE
                    ? CpuCounter.UNAVAILABLE : processCpuAtEnd - processCpuAtStart;
            return new RunOutcome(startedAt, start, end, false, null, maxLag, 0, allocated,
                    new MeasuredScope.GcFigures(gcPauses.count(), gcPauses.totalNanos(), gcPauses.maxNanos()),
                    processCpu, agentCpu, statementsAtStart == StatementCounter.UNAVAILABLE
                            ? StatementCounter.UNAVAILABLE : statementsAtEnd - statementsAtStart, warmup);
        } catch (InterruptedException interrupted) {
            if (gcPauses != null) {
                gcPauses.stop();
            }
            stopProfile();
            control.stopped = true;
            interruptAll(agentThreads);
            sampler.abandon();
            throw interrupted;
        }
    }

    private RunOutcome stop(RunControl control, Thread[] agentThreads, Instant startedAt, long start, long deadline)
            throws InterruptedException {
        // Taken before the interrupts, whose InterruptedExceptions in agents' set-up are not the cause.
        Throwable abortCause = control.abortCause();
        boolean timedOut = abortCause == null && System.nanoTime() - deadline >= 0;
        control.stopped = true;
        control.release(agentThreads);
        interruptAll(agentThreads);
        long end = System.nanoTime();
        control.done.await(STOP_GRACE_NANOS, TimeUnit.NANOSECONDS);
        if (startedAt != null) {
            sampler.finish(end);
        } else {
            sampler.abandon();
        }
        return new RunOutcome(startedAt, start, end, timedOut, abortCause, 0, control.done.getCount(),
                AllocationCounter.UNAVAILABLE, MeasuredScope.GcFigures.NOT_MEASURED, CpuCounter.UNAVAILABLE,
                CpuCounter.UNAVAILABLE, StatementCounter.UNAVAILABLE,
                control.steadyWarmup == null ? WarmupOutcome.FIXED : control.steadyWarmup.outcome());
    }

    private void stopProfile() {
        if (profile != null) {
            profile.stop();
        }
    }

    private static boolean await(CountDownLatch latch, long deadline) throws InterruptedException {
        if (deadline == Long.MAX_VALUE) {
            latch.await();
            return true;
        }
        return latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private static void interruptAll(Thread[] agentThreads) {
        for (Thread thread : agentThreads) {
            thread.interrupt();
        }
    }

    /** A well-spread 64-bit seed from the run seed, the agent and the method (SplitMix64's finalizer). */
    private static long mix(long seed, int agentId, long methodSalt) {
        long z = seed + 0x9E3779B97F4A7C15L * (agentId + 1) + methodSalt * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
