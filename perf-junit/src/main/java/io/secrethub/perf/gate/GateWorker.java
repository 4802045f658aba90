package io.secrethub.perf.gate;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * One side of a {@link PairedGate}: a JVM on that side's test class path that runs the load tests it is told to,
 * again and again, so the JIT, the class loading and the connection pools stay warm between rounds.
 *
 * <p>The protocol is one line per request on standard input, tab-separated:
 * {@code RUN <selector>[,<selector>...] [<key>=<value>...]}, where a selector is a class name or
 * {@code Class#method} and each pair is a JUnit configuration parameter for that run (e.g.
 * {@code perf.results.dir=...}). The worker answers on standard output with {@code READY} once, then
 * {@code DONE <succeeded> <failed> <aborted>} per request, or {@code ERROR <message>} when the request could not
 * be run at all. Everything the tests print goes to standard error, so it can never be mistaken for an answer.
 */
public final class GateWorker {

    static final String READY = "READY";
    static final String RUN = "RUN";
    static final String DONE = "DONE";
    static final String ERROR = "ERROR";

    private GateWorker() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Launcher launcher = LauncherFactory.create();
        answers.println(READY);
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = requests.readLine(); line != null; line = requests.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                answers.println(run(launcher, parse(line)));
            } catch (RuntimeException e) {
                answers.println(ERROR + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
    }

    /** {@code line} as a discovery request; throws {@link IllegalArgumentException} naming what is wrong. */
    static LauncherDiscoveryRequest parse(String line) {
        String[] fields = line.split("\t");
        if (!fields[0].equals(RUN) || fields.length < 2 || fields[1].isBlank()) {
            throw new IllegalArgumentException("expected 'RUN<TAB>selectors[<TAB>key=value...]', got: " + line);
        }
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String selector : fields[1].split(",")) {
            selectors.addAll(select(selector.trim()));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 2; i < fields.length; i++) {
            int equals = fields[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + fields[i] + "'");
            }
            parameters.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
        }
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .configurationParameters(parameters)
                .build();
    }

    /**
     * A class name, or {@code Class#method}: every method of that name (test methods take parameters, such as an
     * {@code Agent}, that nobody should have to spell out).
     */
    private static List<DiscoverySelector> select(String selector) {
        int hash = selector.indexOf('#');
        if (hash < 0 || selector.contains("(")) {
            return List.of(hash < 0 ? selectClass(selector) : selectMethod(selector));
        }
        String className = selector.substring(0, hash);
        String methodName = selector.substring(hash + 1);
        Class<?> type;
        try {
            type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no class " + className + " on this side's class path", e);
        }
        List<DiscoverySelector> methods = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(methodName)) {
                methods.add(selectMethod(type, method));
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no method " + methodName + " in " + className);
        }
        return methods;
    }

    private static String run(Launcher launcher, LauncherDiscoveryRequest request) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTestsFoundCount() == 0) {
            return ERROR + " no test matched the selectors";
        }
        summary.printFailuresTo(new PrintWriter(System.err, true), 5);
        return DONE + " " + summary.getTestsSucceededCount() + " " + summary.getTestsFailedCount() + " "
                + summary.getTestsAbortedCount();
    }
}
