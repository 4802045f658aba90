package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.perf.engine.LoadTestExtension;
import io.secrethub.perf.testkit.ModuleBoundary;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * perf-junit's API is {@code io.secrethub.perf} and {@code io.secrethub.perf.db}, and the module descriptor says so.
 * The tests run on the class path (see the pom), so this holds the module to its descriptor directly.
 */
class PerfBoundaryTest {

    private static final String MODULE = "io.secrethub.perf";
    private static final Set<String> API = Set.of("io.secrethub.perf", "io.secrethub.perf.db");

    private final ModuleBoundary boundary = ModuleBoundary.of(LoadTest.class, MODULE, MODULE, API);

    @Test
    void theDescriptorExportsExactlyTheApiPackages() {
        boundary.assertExportsExactlyTheApi();
    }

    @Test
    void noApiSignatureMentionsAnInternalType() {
        assertThat(boundary.apiTypes()).as("the scan finds the API")
                .contains(LoadTest.class, LoadTestResult.class, SloOutcome.Comparator.class, PostgresDatabase.class)
                .doesNotContain(LoadTestExtension.class);
        boundary.assertNoInternalTypeInTheApi();
    }

    @Test
    void onTheModulePathJunitReachesTheExtensionsAndTheSuiteListener() throws Exception {
        ModuleLayer layer = boundary.resolve(ModuleBoundary.testClassPath());
        Module perf = layer.findModule(MODULE).orElseThrow();
        Module junitCommons = layer.findModule("org.junit.platform.commons").orElseThrow();

        assertThat(perf.getPackages()).filteredOn(perf::isExported).containsExactlyInAnyOrderElementsOf(API);
        assertThat(perf.isOpen("io.secrethub.perf.engine", junitCommons)).isTrue();
        assertThat(perf.isOpen("io.secrethub.perf.engine")).as("open to JUnit only").isFalse();

        // What Jupiter does with @ExtendWith(LoadTestExtension.class): instantiate it from JUnit's own module.
        ClassLoader loader = layer.findLoader(MODULE);
        Class<?> extension = loader.loadClass("io.secrethub.perf.engine.LoadTestExtension");
        Class<?> reflection = loader.loadClass("org.junit.platform.commons.support.ReflectionSupport");
        Object instance = reflection.getMethod("newInstance", Class.class, Object[].class)
                .invoke(null, extension, new Object[0]);
        assertThat(instance.getClass().getModule()).isEqualTo(perf);

        // What the launcher does to find the suite listener.
        Class<?> listenerType = loader.loadClass("org.junit.platform.launcher.TestExecutionListener");
        List<String> providers = ServiceLoader.load(layer, listenerType).stream()
                .map(provider -> provider.type().getName()).toList();
        assertThat(providers).contains("io.secrethub.perf.report.SuiteReportListener");
    }
}
