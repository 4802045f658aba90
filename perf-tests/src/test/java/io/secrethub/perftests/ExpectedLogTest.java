package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A fault suite's expected log records are held back and summarized; every other line still reaches stderr. */
class ExpectedLogTest {

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream saved;

    @BeforeEach
    void redirect() {
        saved = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(saved);
    }

    @Test
    void holdsBackWarningsAndErrorsWithTheirStackTracesAndGroupsThem() {
        ExpectedLog log = ExpectedLog.capture();
        try (log) {
            var logger = LoggerFactory.getLogger("io.secrethub.example.PoolBase");
            logger.warn("Failed to validate connection PgConnection@2ea488ea (closed)");
            logger.warn("Failed to validate connection PgConnection@428dbcaf (closed)");
            logger.error("audit log write failed, 6 calls fail closed", new IllegalStateException("reset"));
            System.err.println("a line of the suite's own");
            System.err.print("half a line, ");
        }
        String passed = stderr.toString(StandardCharsets.UTF_8);

        assertThat(passed).contains("a line of the suite's own").contains("half a line, ")
                .doesNotContain("Failed to validate").doesNotContain("audit log write failed")
                .doesNotContain("IllegalStateException").doesNotContain("\tat ");
        assertThat(log.summary()).containsExactly(
                "2 x WARN PoolBase - Failed to validate connection PgConnection@2ea488ea (closed)",
                "1 x ERROR PoolBase - audit log write failed, 6 calls fail closed");
    }

    @Test
    void aRecordAfterTheCaptureClosedIsPrintedAsUsual() {
        ExpectedLog.capture().close();
        LoggerFactory.getLogger("io.secrethub.example.AuditWriter").warn("after the fault");

        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("WARN AuditWriter - after the fault");
    }
}
