package io.secrethub.perf.engine;

import io.secrethub.perf.HostConditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * Measures the host's speed with two fixed probes ({@code perf.hostProbe}): SHA-256 of 1 KiB on one thread (one
 * core's speed) and 8 KiB writes forced to the disk one by one (the flush every database commit waits for), each
 * for {@link #EACH}.
 */
final class HostProbe {

    /** How long each of the two probes runs: long enough for thousands of syncs, short beside any load test. */
    static final Duration EACH = Duration.ofMillis(200);

    private static final int HASHED_BYTES = 1024;
    private static final int SYNCED_BYTES = 8192;
    /** The hash loop's one warm-up per JVM, until the JIT has compiled it. */
    static final Duration WARM_UP = Duration.ofMillis(500);

    private static boolean warm;

    private HostProbe() {
    }

    /**
     * Both probes, each for {@code each}; the sync probe's file is created in {@code directory} and deleted. The
     * JVM's first call warms the hash loop up for {@link #WARM_UP} first: interpreted, it ran 18 times slower
     * than compiled, and the first test's probe would be a measure of the JIT.
     */
    static HostConditions.Sample measure(Path directory, Duration each) {
        warmUp();
        return new HostConditions.Sample(hashesPerSecond(each), syncsPerSecond(directory, each));
    }

    private static synchronized void warmUp() {
        if (!warm) {
            hashesPerSecond(WARM_UP);
            warm = true;
        }
    }

    private static double hashesPerSecond(Duration each) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] input = new byte[HASHED_BYTES];
        return perSecond(each, n -> {
            sha256.update(input);
            input[(int) (n % HASHED_BYTES)] ^= sha256.digest()[0]; // each input depends on the last digest
        });
    }

    private static double syncsPerSecond(Path directory, Duration each) {
        try {
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "host-probe-", ".bin");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ByteBuffer block = ByteBuffer.allocate(SYNCED_BYTES);
                return perSecond(each, n -> {
                    block.clear();
                    block.putLong(0, n);
                    channel.write(block, 0);
                    channel.force(false);
                });
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("perf.hostProbe: cannot write its probe file in " + directory
                    + " (perf.results.dir): " + e.getMessage(), e);
        }
    }

    /** Runs {@code step} (given how many times it ran before) until {@code each} has passed; its rate per second. */
    private static <E extends Exception> double perSecond(Duration each, Step<E> step) throws E {
        long start = System.nanoTime();
        long end = start + each.toNanos();
        long count = 0;
        long now;
        do {
            step.run(count);
            count++;
            now = System.nanoTime();
        } while (now < end);
        return count * 1e9 / (now - start);
    }

    /** One step of a probe. */
    private interface Step<E extends Exception> {
        void run(long n) throws E;
    }
}
