package io.secrethub.perftests;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WARN and ERROR lines that a fault suite causes on purpose, held back while the fault is on and reported once,
 * grouped, as part of the suite's own output: a database stopped under load makes SecretHub and HikariCP log that
 * it is unreachable, which is right in production and noise in a successful run of the suite.
 *
 * <p>SLF4J's simple logger (perf-tests' logging backend) writes each record to {@code System.err} as
 * {@code LEVEL Logger - message}, looking {@code System.err} up at every record; while a capture is open,
 * {@code System.err} is a stream that keeps those records (and the lines of their stack traces) and passes every
 * other line through. {@link #close} puts the original stream back.
 */
final class ExpectedLog implements AutoCloseable {

    private static final Pattern RECORD = Pattern.compile("^(WARN|ERROR) (\\S+) - (.*)$");
    /** The first line of a record's stack trace: a throwable's class name, then its message. */
    private static final Pattern THROWABLE =
            Pattern.compile("^([a-zA-Z_$][\\w$]*\\.)+[\\w$]*(Exception|Error|Throwable)\\b.*");
    /** A message is grouped by its text with numbers and object ids taken out. */
    private static final Pattern VARYING = Pattern.compile("@[0-9a-f]+|\\d+");

    private final PrintStream original;
    private final LineSplitter splitter = new LineSplitter();
    /** By level, logger and message with its numbers taken out: the first such line, and how many there were. */
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private boolean inRecord;
    private boolean closed;

    private static final class Group {
        final String first;
        int count;

        Group(String first) {
            this.first = first;
        }
    }

    private ExpectedLog() {
        original = System.err;
        System.setErr(new PrintStream(splitter, true, StandardCharsets.UTF_8));
    }

    /** Starts holding back WARN and ERROR records. */
    static ExpectedLog capture() {
        return new ExpectedLog();
    }

    private synchronized void line(String line) {
        Matcher record = RECORD.matcher(line);
        if (record.matches()) {
            inRecord = true;
            String kind = record.group(1) + ' ' + record.group(2) + " - ";
            groups.computeIfAbsent(kind + VARYING.matcher(record.group(3)).replaceAll("#"),
                    k -> new Group(kind + record.group(3))).count++;
        } else if (inRecord && (line.startsWith("\t") || line.startsWith(" ") || line.startsWith("Caused by")
                || THROWABLE.matcher(line).matches())) {
            return; // a held-back record's stack trace
        } else {
            inRecord = false;
            original.println(line);
        }
    }

    /** Puts {@code System.err} back, passing on the end of a line that had no newline yet. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            System.err.flush();
            System.setErr(original);
            splitter.drain();
        }
    }

    /** One line per kind of record held back, most frequent first: {@code 3 x WARN Logger - first message}. */
    synchronized List<String> summary() {
        return groups.values().stream().sorted(Comparator.comparingInt((Group g) -> g.count).reversed())
                .map(group -> group.count + " x " + group.first).toList();
    }

    /** Ends the capture ({@link #close}) and prints {@link #summary} under {@code heading}, if anything was held. */
    void report(String heading) {
        close();
        List<String> lines = summary();
        if (!lines.isEmpty()) {
            System.out.println(heading);
            lines.forEach(line -> System.out.println("  " + line));
        }
    }

    /** Splits what is written into lines (UTF-8), each handed to {@link #line} when its newline arrives. */
    private final class LineSplitter extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            synchronized (ExpectedLog.this) {
                if (b == '\n') {
                    String text = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                } else {
                    pending.write(b);
                }
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (ExpectedLog.this) {
                for (int i = offset; i < offset + length; i++) {
                    write(bytes[i]);
                }
            }
        }

        /** A line is only judged whole: what has no newline yet waits for it (or for {@link #close}). */
        @Override
        public void flush() {
            original.flush();
        }

        void drain() {
            if (pending.size() > 0) {
                original.print(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
            original.flush();
        }
    }
}
