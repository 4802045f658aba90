package io.secrethub.perftests;

import io.secrethub.perf.LoadTestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The phases of {@link AgentLoadTest} (in-process) and {@link AgentHttpLoadTest} (through HTTPS with mutual TLS)
 * side by side, with the ratios, once both have run in this JVM (the perf suite runs them in one JVM, in either
 * order), and the HTTP stack's ceilings that {@link NetworkBaseline} measured. Figures of one run on one machine:
 * the ratios are what carries over to another machine, not the absolute figures.
 */
final class InProcessVsNetwork {

    enum Path { IN_PROCESS, NETWORK }

    private static final Map<String, EnumMap<Path, LoadTestResult>> PHASES = new LinkedHashMap<>();
    private static final Map<String, LoadTestResult> CEILINGS = new LinkedHashMap<>();
    private static boolean printed;

    private InProcessVsNetwork() {
    }

    static synchronized void record(Path path, LoadTestResult result) {
        PHASES.computeIfAbsent(result.method(), phase -> new EnumMap<>(Path.class)).put(path, result);
    }

    /** A ceiling of the network path (the fixed-answer server, the handshakes), printed under the table. */
    static synchronized void ceiling(LoadTestResult result) {
        CEILINGS.put(result.method(), result);
    }

    /** Prints the table once, when at least one phase ran both ways; returns it. */
    static synchronized Optional<String> printWhenBothRan() {
        Optional<String> table = table();
        if (table.isPresent() && !printed) {
            printed = true;
            System.out.println(table.get());
        }
        return table;
    }

    static synchronized Optional<String> table() {
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, EnumMap<Path, LoadTestResult>> phase : PHASES.entrySet()) {
            LoadTestResult local = phase.getValue().get(Path.IN_PROCESS);
            LoadTestResult network = phase.getValue().get(Path.NETWORK);
            // Throughput compares only at saturation: an open-model phase's throughput is its schedule.
            if (local != null && network != null && local.settings().rate() == 0 && network.settings().rate() == 0) {
                rows.add(String.format("  %-15s %11s %11s %7.2f  %11s %11s %11s", phase.getKey(), rate(local),
                        rate(network),
                        network.throughput() / local.throughput(), ms(local.latency().p99()),
                        ms(network.latency().p99()), ms(local.latency().p99().multipliedBy(2).plusMillis(2))));
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty(); // e.g. the HTTPS phases ran in the open model (run with perf.<Class>.rate=0)
        }
        StringBuilder out = new StringBuilder("\nIn-process vs HTTPS with mutual TLS (same run, same machine)\n")
                .append(String.format("  %-15s %11s %11s %7s  %11s %11s %11s%n", "phase", "in-process", "https",
                        "ratio", "p99 local", "p99 https", "2x+2ms"))
                .append(String.join("\n", rows)).append('\n');
        LoadTestResult reads = PHASES.getOrDefault("secretReads", new EnumMap<>(Path.class)).get(Path.NETWORK);
        for (LoadTestResult ceiling : CEILINGS.values()) {
            out.append(String.format("  ceiling %-26s %11s, p99 %s", ceiling.method(), rate(ceiling),
                    ms(ceiling.latency().p99())));
            if (reads != null && ceiling.method().equals("httpStackBaseline")) {
                out.append(String.format("; https reads are %.2f of it", reads.throughput() / ceiling.throughput()));
            }
            out.append('\n');
        }
        return Optional.of(out.toString());
    }

    private static String rate(LoadTestResult result) {
        return String.format("%,.0f/s", result.throughput());
    }

    private static String ms(Duration duration) {
        return String.format("%.2f ms", duration.toNanos() / 1e6);
    }
}
