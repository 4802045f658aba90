package io.secrethub.perf.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class a fresh PostgreSQL database of its own, as a HikariCP
 * {@link javax.sql.DataSource} parameter of its constructor, {@code @BeforeAll}, {@code @BeforeEach},
 * test and {@code @AfterEach}/{@code @AfterAll} methods.
 *
 * <pre>{@code
 * @PostgresDatabase
 * class SecretStoreTest {
 *     @BeforeAll static void migrate(DataSource db) { ... }
 *     @Test void reads(DataSource db) { ... }
 * }
 * }</pre>
 *
 * <p>Every parameter of one class (and of its {@code @Nested} classes) gets the same pool on the same
 * database; the database is created on first use and dropped after the class. Where the server comes
 * from, and every setting, is described in the {@linkplain io.secrethub.perf.db package documentation}.
 *
 * @see PostgresExtension#dataSource(org.junit.jupiter.api.extension.ExtensionContext)
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresExtension.class)
public @interface PostgresDatabase {
}
