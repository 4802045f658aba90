package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Racing writers of one path never lose an update. */
@UnsealedHub
class ConcurrentWritersTest {

    static final int THREADS = 32;

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
    }

    @Test
    void ofThirtyTwoCheckAndSetWritersOfTheSameVersionExactlyOneWins() throws Exception {
        hub.secrets().write(root, "race/cas", Map.of("writer", "initial"));
        List<Object> outcomes = race(i
                -> hub.secrets().write(root, "race/cas", Map.of("writer", "w" + i), WriteOptions.cas(1)));
        List<VersionMetadata> wins = outcomes.stream().filter(VersionMetadata.class::isInstance)
                .map(VersionMetadata.class::cast).toList();
        assertThat(wins).hasSize(1);
        assertThat(wins.get(0).version()).isEqualTo(2);
        assertThat(outcomes).filteredOn(CheckAndSetException.class::isInstance).hasSize(THREADS - 1)
                .allSatisfy(e -> assertThat(((CheckAndSetException) e).currentVersion()).isEqualTo(2));
        assertThat(hub.secrets().metadata(root, "race/cas").currentVersion()).isEqualTo(2);
    }

    @Test
    void ofThirtyTwoCreateOnlyWritersOfANewPathExactlyOneWins() throws Exception {
        List<Object> outcomes = race(i
                -> hub.secrets().write(root, "race/new", Map.of("writer", "w" + i), WriteOptions.cas(0)));
        assertThat(outcomes).filteredOn(VersionMetadata.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(CheckAndSetException.class::isInstance).hasSize(THREADS - 1);
    }

    @Test
    void thirtyTwoUnconditionalWritersGetThirtyTwoDistinctVersions() throws Exception {
        hub.secrets().updateMetadata(root, "race/free", MetadataUpdate.none().withMaxVersions(THREADS));
        List<Object> outcomes = race(i -> hub.secrets().write(root, "race/free", Map.of("writer", "w" + i)));
        assertThat(outcomes).allMatch(VersionMetadata.class::isInstance);
        assertThat(outcomes).extracting(o -> ((VersionMetadata) o).version())
                .containsExactlyInAnyOrderElementsOf(range(1, THREADS));
        // every version holds the data of the writer that was told it got that version
        SecretMetadata metadata = hub.secrets().metadata(root, "race/free");
        assertThat(metadata.currentVersion()).isEqualTo(THREADS);
        assertThat(metadata.versions()).hasSize(THREADS);
        List<String> writers = new ArrayList<>();
        for (int v = 1; v <= THREADS; v++) {
            writers.add(hub.secrets().read(root, "race/free", v).data().get("writer"));
        }
        assertThat(writers).doesNotHaveDuplicates().hasSize(THREADS);
    }

    @FunctionalInterface
    interface Writer {
        Object write(int index);
    }

    /** Runs {@code THREADS} writers behind one barrier; each outcome is a result or the exception thrown. */
    static List<Object> race(Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                Callable<Object> task = () -> {
                    start.await();
                    try {
                        return writer.write(index);
                    } catch (SecretHubException e) {
                        return e;
                    }
                };
                futures.add(pool.submit(task));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Integer> range(int from, int to) {
        List<Integer> values = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            values.add(i);
        }
        return values;
    }
}
