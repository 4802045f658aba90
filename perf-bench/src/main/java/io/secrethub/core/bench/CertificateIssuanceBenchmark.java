package io.secrethub.core.bench;

import io.secrethub.core.AgentCredentials;
import io.secrethub.core.CaKeyType;
import io.secrethub.core.pki.CertificateAuthority;
import io.secrethub.core.CertificateVerification;
import io.secrethub.core.pki.IssuedCertificate;
import java.math.BigInteger;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What agent registration's CPU part costs, per CA key type: CSR verification plus certificate signing
 * ({@link #issue()}), chain verification ({@link #verify()}), and issuance on every core at once
 * ({@link #issueOnAllCores()}, operations per second). Run with {@code perf-bench/run.sh certs}.
 *
 * <p>CSRs are generated up front, since in production the agents make their own; each invocation takes the next
 * one. The certificate authority is a core internal, measured here on purpose.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CertificateIssuanceBenchmark {

    /** Distinct agents whose CSRs are issued in turn. */
    private static final int AGENTS = 256;
    private static final Predicate<BigInteger> NOT_REVOKED = serial -> false;

    @Param({"EC_P256", "RSA_3072"})
    CaKeyType keyType;

    private CertificateAuthority ca;
    private AgentCredentials[] agents;
    private String chain;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        ca = CertificateAuthority.create(keyType);
        agents = new AgentCredentials[AGENTS];
        for (int i = 0; i < AGENTS; i++) {
            agents[i] = AgentCredentials.generate("agent-" + i);
        }
        chain = ca.issueAgentCertificate(agents[0].csrPem(), agents[0].agentId()).chainPem();
        if (!ca.verify(chain, NOT_REVOKED, Instant.now()).isValid()) {
            throw new IllegalStateException("a freshly issued certificate does not verify");
        }
    }

    @Benchmark
    public IssuedCertificate issue() {
        AgentCredentials agent = agents[Math.floorMod(next.getAndIncrement(), AGENTS)];
        return ca.issueAgentCertificate(agent.csrPem(), agent.agentId());
    }

    @Benchmark
    public CertificateVerification verify() {
        return ca.verify(chain, NOT_REVOKED, Instant.now());
    }

    @Benchmark
    @Threads(Threads.MAX)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public IssuedCertificate issueOnAllCores() {
        return issue();
    }
}
