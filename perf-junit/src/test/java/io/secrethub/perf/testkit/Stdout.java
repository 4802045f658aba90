package io.secrethub.perf.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** What a fixture run printed to {@code System.out}, for tests of the console reports. */
public final class Stdout {

    private Stdout() {
    }

    /** {@code action}'s value and everything it printed to {@code System.out}, which is restored afterwards. */
    public static <T> Captured<T> capture(Supplier<T> action) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        T value;
        try {
            value = action.get();
        } finally {
            System.setOut(original);
        }
        return new Captured<>(value, console.toString(StandardCharsets.UTF_8));
    }

    /** A value and what was printed while it was computed. */
    public record Captured<T>(T value, String printed) {
    }
}
