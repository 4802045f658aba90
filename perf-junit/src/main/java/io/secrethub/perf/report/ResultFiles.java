package io.secrethub.perf.report;

import java.nio.file.Path;

/**
 * The names of the report files under {@code perf.results.dir}: per method {@code <class>.<method>.json} and
 * {@code .hlog} (fully qualified class name, as Surefire names its reports, so classes never collide); per run
 * {@value #RUN_JSON}, {@value #SUMMARY} and {@value #HTML}.
 */
public final class ResultFiles {

    /** The run's JSON file: every method's result and test status. */
    public static final String RUN_JSON = "run.json";
    /** The run's Markdown summary, for pull-request comments and CI job summaries. */
    public static final String SUMMARY = "summary.md";
    /** The run's HTML report: charts and tables in one file that opens offline. */
    public static final String HTML = "index.html";

    private ResultFiles() {
    }

    /** The JSON result file of one method. */
    public static Path json(Path directory, String testClass, String method) {
        return directory.resolve(baseName(testClass, method) + ".json");
    }

    /** The HdrHistogram interval log of one method. */
    public static Path hlog(Path directory, String testClass, String method) {
        return directory.resolve(baseName(testClass, method) + ".hlog");
    }

    /** The JDK Flight Recorder recording of one method's measured part ({@code perf.profile=jfr}). */
    public static Path jfr(Path directory, String testClass, String method) {
        return directory.resolve(baseName(testClass, method) + ".jfr");
    }

    private static String baseName(String testClass, String method) {
        return (testClass + "." + method).replace('$', '.');
    }
}
