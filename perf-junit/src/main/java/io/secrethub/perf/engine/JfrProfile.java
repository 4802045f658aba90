package io.secrethub.perf.engine;

import io.secrethub.perf.ProfileEntry;
import io.secrethub.perf.ProfileSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code perf.profile=jfr}: a JDK Flight Recorder recording of one load test's measured part, started just before
 * the agents pass the start barrier and stopped when the last one finishes, written to {@code <Class>.<method>.jfr}
 * and summarized from that file. Everything happens outside the agents' recording path; JFR's own cost is that of
 * its samplers (execution samples every {@value #SAMPLE_PERIOD_MILLIS} ms, allocation samples throttled to
 * {@value #ALLOCATION_THROTTLE}).
 */
final class JfrProfile {

    /** How many entries each list of the summary keeps. */
    static final int TOP = 10;

    private static final long SAMPLE_PERIOD_MILLIS = 10;
    private static final String ALLOCATION_THROTTLE = "150/s";
    /** Monitor waits shorter than this are not recorded (JFR's own profile uses 10 ms). */
    private static final Duration CONTENTION_THRESHOLD = Duration.ofMillis(1);

    private final Path file;
    private final String agentThreadPrefix;
    private Recording recording;
    private String note = "";

    private JfrProfile(Path file, String agentThreadPrefix) {
        this.file = file;
        this.agentThreadPrefix = agentThreadPrefix;
    }

    /**
     * A profile to be written to {@code file}.
     *
     * @param agentThreadPrefix the agents' thread names start with it: the hot methods and allocation sites are
     *     theirs (the sampler's, JUnit's and JFR's own threads are left out)
     */
    static JfrProfile to(Path file, String agentThreadPrefix) {
        return new JfrProfile(file, agentThreadPrefix);
    }

    /** Starts recording; when JFR is not available the summary says so instead. */
    void start() {
        if (!FlightRecorder.isAvailable()) {
            note = "JDK Flight Recorder is not available in this JVM";
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Recording jfr = new Recording();
            jfr.setName("perf-junit " + file.getFileName());
            jfr.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(SAMPLE_PERIOD_MILLIS)).withStackTrace();
            jfr.enable("jdk.ObjectAllocationSample").with("throttle", ALLOCATION_THROTTLE).withStackTrace();
            jfr.enable("jdk.JavaMonitorEnter").withThreshold(CONTENTION_THRESHOLD).withStackTrace();
            jfr.enable("jdk.GarbageCollection");
            jfr.setToDisk(true);
            jfr.setDestination(file);
            jfr.start();
            recording = jfr;
        } catch (IOException | RuntimeException cannotRecord) {
            note = "JDK Flight Recorder did not start: " + cannotRecord;
        }
    }

    /** Stops recording and writes the file; idempotent. */
    void stop() {
        if (recording == null) {
            return;
        }
        try {
            recording.stop();
        } catch (IllegalStateException alreadyStopped) {
            // stopped before
        } finally {
            recording.close();
        }
    }

    /** The summary of the written file (call after {@link #stop()}). */
    ProfileSummary summarize(long allocatedBytes) {
        if (recording == null || !Files.isRegularFile(file)) {
            return new ProfileSummary("jfr", "", 0, List.of(), List.of(), List.of(), 0, -1, -1, allocatedBytes,
                    note.isEmpty() ? "no recording was written" : note);
        }
        Tally hot = new Tally();
        Tally hotAnyThread = new Tally();
        Tally allocations = new Tally();
        Tally allocationsAnyThread = new Tally();
        Tally contention = new Tally();
        long gcCount = 0;
        long gcTotal = 0;
        long gcMax = 0;
        try (RecordingFile events = new RecordingFile(file)) {
            while (events.hasMoreEvents()) {
                RecordedEvent event = events.readEvent();
                switch (event.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> {
                        String frame = topFrame(event.getStackTrace(), false);
                        hotAnyThread.add(frame, 0);
                        if (isAgent(event, "sampledThread")) {
                            hot.add(frame, 0);
                        }
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        String site = topFrame(event.getStackTrace(), true) + " " + className(event);
                        long bytes = event.getLong("weight");
                        allocationsAnyThread.add(site, bytes);
                        if (isAgent(event, "eventThread")) {
                            allocations.add(site, bytes);
                        }
                    }
                    case "jdk.JavaMonitorEnter" -> contention.add(monitorClass(event) + " at "
                            + topFrame(event.getStackTrace(), true), event.getDuration().toNanos());
                    case "jdk.GarbageCollection" -> {
                        gcCount++;
                        gcTotal += event.getDuration("sumOfPauses").toNanos();
                        gcMax = Math.max(gcMax, event.getDuration("longestPause").toNanos());
                    }
                    default -> {
                        // not summarized
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            note = "cannot read " + file + ": " + unreadable;
        }
        // Virtual threads are not sampled by name on every JDK: then the whole JVM's samples, said so.
        boolean agentsOnly = hot.total > 0 || hotAnyThread.total == 0;
        String scope = agentsOnly ? "" : "samples of all threads (the agents' threads were not sampled)";
        return new ProfileSummary("jfr", file.toString(), agentsOnly ? hot.total : hotAnyThread.total,
                (agentsOnly ? hot : hotAnyThread).top(ProfileEntry::events),
                (allocations.total > 0 ? allocations : allocationsAnyThread).top(ProfileEntry::weight),
                contention.top(ProfileEntry::weight), gcCount, gcTotal, gcMax, allocatedBytes,
                note.isEmpty() ? scope : note);
    }

    private boolean isAgent(RecordedEvent event, String field) {
        if (!event.hasField(field)) {
            return false;
        }
        RecordedThread thread = event.getValue(field);
        return thread != null && thread.getJavaName() != null && thread.getJavaName().startsWith(agentThreadPrefix);
    }

    private static String topFrame(RecordedStackTrace stack, boolean withLine) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "(no stack)";
        }
        RecordedFrame frame = stack.getFrames().get(0);
        String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
        return withLine && frame.getLineNumber() > 0 ? method + ":" + frame.getLineNumber() : method;
    }

    private static String className(RecordedEvent event) {
        return event.getClass("objectClass") == null ? "?" : javaName(event.getClass("objectClass").getName());
    }

    /** {@code long[]} for JFR's {@code [J}, {@code String[][]} for {@code [[Ljava.lang.String;}. */
    static String javaName(String jvmName) {
        int dimensions = 0;
        while (dimensions < jvmName.length() && jvmName.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return jvmName;
        }
        String element = jvmName.substring(dimensions);
        String type = switch (element) {
            case "Z" -> "boolean";
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            default -> element.startsWith("L") && element.endsWith(";")
                    ? element.substring(1, element.length() - 1) : element;
        };
        return type + "[]".repeat(dimensions);
    }

    private static String monitorClass(RecordedEvent event) {
        return event.getClass("monitorClass") == null ? "?" : event.getClass("monitorClass").getName();
    }

    /** Events and weights by name. */
    private static final class Tally {
        private final Map<String, long[]> byName = new HashMap<>();
        private long total;

        void add(String name, long weight) {
            long[] sums = byName.computeIfAbsent(name, key -> new long[2]);
            sums[0]++;
            sums[1] += weight;
            total++;
        }

        List<ProfileEntry> top(ToLongFunction<ProfileEntry> order) {
            return byName.entrySet().stream()
                    .map(entry -> new ProfileEntry(entry.getKey(), entry.getValue()[0], entry.getValue()[1]))
                    .sorted(Comparator.comparingLong(order).reversed().thenComparing(ProfileEntry::name))
                    .limit(TOP)
                    .toList();
        }
    }
}
