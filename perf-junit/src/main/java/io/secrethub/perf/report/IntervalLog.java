package io.secrethub.perf.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * An HdrHistogram interval log ({@code .hlog}) of one load test: one compressed histogram per series and
 * interval, values in nanoseconds. The whole method's latency is untagged, so HdrHistogram's
 * {@code HistogramLogProcessor -i file.hlog} reads it with no options; the other series are tagged
 * ({@code service-time}, {@code op.<name>}) and read with {@code -tag}. Logs from several machines can be merged
 * with the same tool.
 */
public final class IntervalLog implements AutoCloseable {

    /** The tag of the whole method's latency: none. */
    public static final String UNTAGGED = null;

    /** The "max" column of the log shows milliseconds, since values are nanoseconds. */
    private static final double NANOS_PER_MILLI = 1e6;

    private final PrintStream out;
    private final HistogramLogWriter writer;

    private IntervalLog(PrintStream out) {
        this.out = out;
        this.writer = new HistogramLogWriter(out);
    }

    /** Creates (or replaces) {@code file}, writing the header for a run that starts at {@code start}. */
    public static IntervalLog create(Path file, Instant start, String comment) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            OutputStream stream = Files.newOutputStream(file);
            IntervalLog log = new IntervalLog(new PrintStream(stream, false, "UTF-8"));
            log.writer.outputComment(comment);
            log.writer.outputLogFormatVersion();
            log.writer.outputStartTime(start.toEpochMilli());
            log.writer.setBaseTime(start.toEpochMilli());
            log.writer.outputLegend();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Appends one interval of the series {@code tag} (or {@link #UNTAGGED}); times in seconds since the start. */
    public void write(String tag, Histogram interval, double startSeconds, double endSeconds) {
        interval.setTag(tag);
        writer.outputIntervalHistogram(startSeconds, endSeconds, interval, NANOS_PER_MILLI);
    }

    @Override
    public void close() {
        writer.close();
        if (out.checkError()) {
            throw new UncheckedIOException(new IOException("Writing an .hlog file failed"));
        }
    }
}
