package io.secrethub.core.testing;

import io.secrethub.perf.db.PostgresExtension;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolves {@link HubFixture} parameters: an initialized, unsealed SecretHub on the test class's own database
 * (from perf-junit's {@link PostgresExtension}), made on first use and closed after the class, before the
 * database is dropped and before the after-all callbacks of extensions registered ahead of this one (so
 * {@code @Order} it after a {@link PgRoles} whose users the hub holds). Nested classes share their enclosing
 * class's fixture, as they share its database.
 *
 * <p>With default settings, annotate the class with {@link UnsealedHub @UnsealedHub}. With settings:
 *
 * <pre>{@code
 * static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
 *
 * @RegisterExtension
 * static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(CLOCK)).poolSize(40);
 * }</pre>
 *
 * Use one or the other in a class: two resolvers of {@code HubFixture} would compete.
 */
public final class UnsealedHubExtension implements ParameterResolver, AfterAllCallback {

    private static final Namespace NAMESPACE = Namespace.create(UnsealedHubExtension.class);

    private final HubSettings settings;
    private final Integer poolSize;

    /** Default settings and pool size, or those of {@link UnsealedHub @UnsealedHub}; used by that annotation. */
    public UnsealedHubExtension() {
        this(HubSettings.DEFAULTS, null);
    }

    private UnsealedHubExtension(HubSettings settings, Integer poolSize) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.poolSize = poolSize;
    }

    /** An extension whose hub is built with {@code settings}. */
    public static UnsealedHubExtension withSettings(HubSettings settings) {
        return new UnsealedHubExtension(settings, null);
    }

    /** The same, with the hub on a pool of its own of {@code size} connections instead of the class's pool. */
    public UnsealedHubExtension poolSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("poolSize must be positive, was " + size);
        }
        return new UnsealedHubExtension(settings, size);
    }

    /** The class's fixture, started on first use; works from any callback below a test class. */
    public HubFixture fixture(ExtensionContext context) {
        ExtensionContext outermost = outermostClass(context);
        return outermost.getStore(NAMESPACE).getOrComputeIfAbsent(HubFixture.class,
                key -> HubFixture.start(PostgresExtension.dataSource(outermost), poolSize(outermost), settings),
                HubFixture.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == HubFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return fixture(context);
    }

    /**
     * Closes the fixture at the end of the outermost class. The store would close it too, but only after every
     * after-all callback, and extensions such as {@link PgRoles} must clean up after the hub has stopped.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        if (outermostClass(context) != context) {
            return;
        }
        HubFixture fixture = context.getStore(NAMESPACE).remove(HubFixture.class, HubFixture.class);
        if (fixture != null) {
            fixture.close();
        }
    }

    private int poolSize(ExtensionContext outermost) {
        if (poolSize != null) {
            return poolSize;
        }
        return AnnotationSupport.findAnnotation(outermost.getRequiredTestClass(), UnsealedHub.class)
                .map(UnsealedHub::poolSize).orElse(0);
    }

    /** Nested classes share their enclosing class's database, so they share its fixture too. */
    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            current = current.getParent().get();
        }
        if (current.getTestClass().isEmpty()) {
            throw new IllegalStateException("HubFixture needs a context inside a test class");
        }
        return current;
    }
}
