package io.secrethub.perf.db;

import io.secrethub.perf.db.ServerChoice.Decision;
import io.secrethub.perf.units.Durations;
import java.lang.System.Logger.Level;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link DataSource} parameters to a HikariCP pool on a fresh PostgreSQL database of the test
 * class's own. Usually applied with {@link PostgresDatabase}; other extensions can call
 * {@link #dataSource(ExtensionContext)}.
 *
 * <p>The server is chosen once per run (see the {@linkplain io.secrethub.perf.db package documentation})
 * and shared by all classes; each top-level test class gets its own database, created on first use and
 * dropped after the class.
 */
public final class PostgresExtension implements ParameterResolver {

    /**
     * Forces one source of the server ({@code SECRETHUB_DB}): {@code url}, {@code local}, {@code testcontainers} or
     * {@code embedded}. When it is not available the test fails naming what was tried, rather than falling back.
     */
    public static final String SOURCE = "secrethub.db";
    /** Explicit JDBC URL ({@code SECRETHUB_DB_URL}); its database is used only to create and drop ours. */
    public static final String URL = "secrethub.db.url";
    /** User for {@link #URL} ({@code SECRETHUB_DB_USER}); default: the URL's {@code user=}, else the driver's. */
    public static final String USER = "secrethub.db.user";
    /** Password for {@link #URL} ({@code SECRETHUB_DB_PASSWORD}). Never logged. */
    public static final String PASSWORD = "secrethub.db.password";
    /** {@code true} keeps the test database after the class and logs its name ({@code PERF_DB_KEEP}). */
    public static final String KEEP = "perf.db.keep";
    /** Maximum connections in each class's pool ({@code PERF_DB_POOL_SIZE}); default {@value #DEFAULT_POOL_SIZE}. */
    public static final String POOL_SIZE = "perf.db.pool.size";

    /**
     * Enough to keep a 2-core server busy while some connections wait on commits, few enough that 100
     * agents queue in the pool rather than thrash the server.
     */
    public static final int DEFAULT_POOL_SIZE = 20;

    /**
     * How long a caller waits for a connection of the class's pool before it fails ({@code PERF_DB_POOL_TIMEOUT}),
     * HikariCP's {@code connectionTimeout}, e.g. {@code "5s"}; default {@link #DEFAULT_POOL_TIMEOUT} (30 s).
     */
    public static final String POOL_TIMEOUT = "perf.db.pool.timeout";

    /**
     * HikariCP's own default. {@code PostgresRestartLoadTest} measured 5 s against 30 s: with SecretHub's audit writer
     * starved by the pool, 30 s waits held recovery after a database restart to 16 s (9.5 s with 5 s); once the writer
     * no longer waits on the pool, the two recover alike (7.6 and 8.2 s), while 5 s failed calls of a soak on a
     * machine at load 60 that 30 s only slowed. Lower it for a test that wants callers to fail fast.
     */
    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(PostgresExtension.class.getName());
    private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);

    /**
     * The pool on the current test class's database, creating the database on first use. Works from any
     * extension callback below a test class.
     *
     * @throws IllegalStateException if no server is available (the message says how to provide one), or
     *     if the database cannot be created
     */
    public static DataSource dataSource(ExtensionContext context) {
        requireDriverAndPool();
        DbEnvironment env = new SystemDbEnvironment(context::getConfigurationParameter);
        SharedServer shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedServer.class, key -> SharedServer.start(env), SharedServer.class);
        ExtensionContext owner = outermostClass(context);
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(FreshDatabase.class,
                        key -> FreshDatabase.create(shared.server(), poolSize(env), poolTimeout(env), keep(env),
                                hasQueryBudget(owner.getRequiredTestClass())),
                        FreshDatabase.class)
                .dataSource();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return dataSource(context);
    }

    static int poolSize(DbEnvironment env) {
        String value = env.setting(POOL_SIZE).orElse(null);
        if (value == null) {
            return DEFAULT_POOL_SIZE;
        }
        try {
            int size = Integer.parseInt(value.trim());
            if (size > 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(POOL_SIZE + " must be a positive whole number, not '" + value + "'");
    }

    static Duration poolTimeout(DbEnvironment env) {
        String value = env.setting(POOL_TIMEOUT).orElse(null);
        if (value == null) {
            return DEFAULT_POOL_TIMEOUT;
        }
        // HikariCP refuses less than 250 ms.
        return Durations.tryParse(value.trim()).filter(d -> d.toMillis() >= 250).orElseThrow(
                () -> new IllegalArgumentException(POOL_TIMEOUT + " must be a duration of at least 250ms, such as"
                        + " 5s, not '" + value + "'"));
    }

    static boolean keep(DbEnvironment env) {
        return env.setting(KEEP).map(value -> Boolean.parseBoolean(value.trim())).orElse(false);
    }

    /**
     * Whether {@code testClass} or a class nested in it has a {@code @MaxQueriesPerOp} method: only then are the
     * pool's statements counted, so no other test pays a proxy on every JDBC call of the system it measures.
     */
    static boolean hasQueryBudget(Class<?> testClass) {
        for (java.lang.reflect.Method method : testClass.getDeclaredMethods()) {
            if (org.junit.platform.commons.support.AnnotationSupport.isAnnotated(method,
                    io.secrethub.perf.MaxQueriesPerOp.class)) {
                return true;
            }
        }
        for (Class<?> nested : testClass.getDeclaredClasses()) {
            if (hasQueryBudget(nested)) {
                return true;
            }
        }
        return false;
    }

    /** Nested classes share their enclosing class's database, as they share its {@code @BeforeAll} state. */
    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            current = current.getParent().get();
        }
        if (current.getTestClass().isEmpty()) {
            throw new IllegalStateException("PostgresExtension.dataSource needs a context inside a test class");
        }
        return current;
    }

    /** HikariCP and the PostgreSQL driver are optional dependencies of perf-junit: say so clearly. */
    private static void requireDriverAndPool() {
        for (String type : new String[] {"com.zaxxer.hikari.HikariDataSource", "org.postgresql.Driver"}) {
            try {
                Class.forName(type, false, PostgresExtension.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("@PostgresDatabase needs com.zaxxer:HikariCP and"
                        + " org.postgresql:postgresql on the test classpath; " + type + " is missing");
            }
        }
    }

    /**
     * The run's server, chosen once; for Testcontainers and the embedded server also what stops it at the end of
     * the run (JUnit closes what the root store holds when the run ends).
     */
    private record SharedServer(Server server, AutoCloseable owned) implements AutoCloseable {

        static SharedServer start(DbEnvironment env) {
            Decision decision = ServerChoice.choose(env);
            SharedServer shared = switch (decision.source()) {
                case TESTCONTAINERS -> {
                    PostgresContainer container = PostgresContainer.start(ServerChoice.CONTAINER_IMAGE);
                    yield new SharedServer(container.server(), container);
                }
                case EMBEDDED -> {
                    EmbeddedServer embedded = EmbeddedServer.start();
                    yield new SharedServer(embedded.server(), embedded);
                }
                default -> new SharedServer(decision.server(), () -> { });
            };
            String chosen = decision.server() == null
                    ? decision.description() + " at " + shared.server() : decision.description();
            LOG.log(Level.INFO, decision.logText(chosen));
            return shared;
        }

        @Override
        public void close() throws Exception {
            owned.close();
        }
    }
}
