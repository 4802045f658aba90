package io.secrethub.core.testing;

import io.secrethub.perf.db.PostgresDatabase;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class an initialized, unsealed SecretHub with default settings on a fresh database of
 * its own, as a {@link HubFixture} parameter (of {@code @BeforeAll}, test and other lifecycle methods), closed
 * after the class. The class's {@link javax.sql.DataSource} can be a parameter too ({@link PostgresDatabase}).
 *
 * <pre>{@code
 * @UnsealedHub
 * class SecretVersionsTest {
 *     static SecretHub hub;
 *     static String root;
 *
 *     @BeforeAll
 *     static void setUp(HubFixture fixture) {
 *         hub = fixture.hub();
 *         root = fixture.rootToken();
 *     }
 * }
 * }</pre>
 *
 * For builder settings (a clock, a node name, lease timings), register {@link UnsealedHubExtension} yourself
 * instead of using this annotation; for a second instance on the same database, see
 * {@link HubFixture#newUnsealedInstance(int, HubSettings)}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@PostgresDatabase
@ExtendWith(UnsealedHubExtension.class)
public @interface UnsealedHub {

    /** Connections in a pool of the hub's own; 0 (the default) puts the hub on the class's pool. */
    int poolSize() default 0;
}
