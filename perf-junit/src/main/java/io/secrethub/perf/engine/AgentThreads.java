package io.secrethub.perf.engine;

import io.secrethub.perf.ThreadMode;
import io.secrethub.perf.config.PerfConfigurationException;
import io.secrethub.perf.config.PerfKeys;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates agent threads: virtual when the runtime has them, platform otherwise. The code is compiled for Java 17,
 * so {@code Thread.ofVirtual()} is looked up reflectively, once, at run time.
 */
final class AgentThreads {

    /** {@code Thread.Builder} configured for virtual threads, or empty before Java 21 (or with preview off). */
    private static final Optional<VirtualThreadBuilder> VIRTUAL_BUILDER = VirtualThreadBuilder.lookUp();

    private AgentThreads() {
    }

    /** Whether this runtime can run virtual threads. */
    static boolean virtualAvailable() {
        return VIRTUAL_BUILDER.isPresent();
    }

    /** The kind of thread {@code mode} selects here: {@link ThreadMode#VIRTUAL} or {@link ThreadMode#PLATFORM}. */
    static ThreadMode choose(ThreadMode mode) {
        return switch (mode) {
            case PLATFORM -> ThreadMode.PLATFORM;
            case AUTO -> virtualAvailable() ? ThreadMode.VIRTUAL : ThreadMode.PLATFORM;
            case VIRTUAL -> {
                if (!virtualAvailable()) {
                    throw new PerfConfigurationException("Invalid configuration parameter " + PerfKeys.THREADS
                            + " = \"virtual\": this runtime (Java " + Runtime.version().feature()
                            + ") has no virtual threads; use Java 21 or later, or perf.threads=platform");
                }
                yield ThreadMode.VIRTUAL;
            }
        };
    }

    /** A factory for agent threads of {@code kind} (virtual or platform), named {@code namePrefix0}, … */
    static ThreadFactory factory(ThreadMode kind, String namePrefix) {
        if (kind == ThreadMode.VIRTUAL) {
            return VIRTUAL_BUILDER.orElseThrow().factory(namePrefix);
        }
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, namePrefix + next.getAndIncrement());
            // Agents stuck past a timeout must not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The reflective handles on {@code Thread.ofVirtual()} and {@code Thread.Builder}. */
    private record VirtualThreadBuilder(Method ofVirtual, Method name, Method factory) {

        static Optional<VirtualThreadBuilder> lookUp() {
            try {
                Method ofVirtual = Thread.class.getMethod("ofVirtual");
                Class<?> builderType = Class.forName("java.lang.Thread$Builder");
                VirtualThreadBuilder builder = new VirtualThreadBuilder(ofVirtual,
                        builderType.getMethod("name", String.class, long.class), builderType.getMethod("factory"));
                builder.factory("perf-probe-"); // Java 19 and 20 have the method but throw without --enable-preview
                return Optional.of(builder);
            } catch (ReflectiveOperationException | RuntimeException unavailable) {
                return Optional.empty();
            }
        }

        ThreadFactory factory(String namePrefix) {
            try {
                Object builder = ofVirtual.invoke(null);
                builder = name.invoke(builder, namePrefix, 0L);
                return (ThreadFactory) factory.invoke(builder);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("Thread.ofVirtual() failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Thread.ofVirtual() is not accessible", e);
            }
        }
    }
}
