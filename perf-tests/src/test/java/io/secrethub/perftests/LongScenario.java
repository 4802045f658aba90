package io.secrethub.perftests;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A load test that the main job leaves out: a fault or scale scenario that takes minutes, most of it set-up that
 * {@code perf.scale} does not shorten (a million leases, a thousand WebSocket connections, three server processes, a
 * PostgreSQL restart), the soak, and the network path's ceilings (the bare HTTP stack, TLS handshakes) that the MVP
 * phases are compared with. Tagged {@value #TAG} as well as {@code perf}. The main job,
 * {@code mvn -B test -Dgroups=perf}, is the MVP suite, in-process and through the network, and stays under 5
 * minutes on a 2-core machine; {@code -Dperf.long} adds these (the root POM's {@code perf-long} profile), and CI
 * always runs them. An IDE's run button runs them as any other test.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("perf")
@Tag(LongScenario.TAG)
@interface LongScenario {

    /** The JUnit tag that the main job excludes. */
    String TAG = "long";
}
