package io.secrethub.perf.testkit.leaky;

import io.secrethub.perf.testkit.leaky.internal.Hidden;
import io.secrethub.perf.testkit.leaky.internal.Marker;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An "API" type that leaks internal types in every way {@link io.secrethub.perf.testkit.ModuleBoundary} must notice,
 * next to uses it must not report.
 */
@SuppressWarnings("unused")
public class Leaky<T extends Marker> implements Supplier<Hidden> {

    /** Leaks: a public field. */
    public Hidden field;

    /** Leaks: a protected field of a class that can be subclassed. */
    protected List<? extends Hidden> protectedField;

    /** Fine: private. */
    private Hidden privateField;

    /** Fine: package-private. */
    Hidden packageField;

    /** Leaks: a constructor parameter, inside an array. */
    public Leaky(Hidden[] hidden) {
    }

    /** Leaks: a generic return type. */
    public Map<String, List<Hidden>> returnsHidden() {
        return Map.of();
    }

    /** Leaks: a declared exception. */
    public void throwsHidden() throws Hidden {
    }

    /** Leaks: a method type parameter's bound. */
    public <M extends Marker> void bounded(M marker) {
    }

    /** Fine: an internal type in the body only. */
    public String usesHiddenInside() {
        return new Hidden().toString();
    }

    @Override
    public Hidden get() {
        return null;
    }

    /** Fine: package-private, so not API even though public. */
    static class NotApi {
        public Hidden hidden;
    }

    /** Leaks: a public nested type's method. */
    public static final class Nested {
        /** Fine: protected, but the class is final. */
        protected Hidden notReachable;

        /** Leaks: returns an internal type. */
        public Hidden hidden() {
            return null;
        }
    }
}
