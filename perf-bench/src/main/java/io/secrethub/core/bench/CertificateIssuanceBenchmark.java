package io.secrethub.core.pki;

import io.secrethub.core.AgentCredentials;
import io.secrethub.core.CaKeyType;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Prints what registration's CPU part costs: CSR verification plus certificate signing, and
 * certificate verification. Not a test (Surefire never runs it): run its {@code main} with the
 * test classpath, optionally with {@code [csrs] [threads]} arguments.
 *
 * <p>CSRs are generated up front, since in production the agents make their own.
 */
public final class CertificateIssuanceBenchmark {

    private CertificateIssuanceBenchmark() {
    }

    /** Runs the benchmark for both CA key types. */
    public static void main(String[] args) throws Exception {
        int csrs = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        List<AgentCredentials> agents = new ArrayList<>(csrs);
        for (int i = 0; i < csrs; i++) {
            agents.add(AgentCredentials.generate("agent-" + i));
        }
        for (CaKeyType type : CaKeyType.values()) {
            run(CertificateAuthority.create(type), agents, threads, type == CaKeyType.RSA_3072 ? 3 : 5);
        }
    }

    static void run(CertificateAuthority ca, List<AgentCredentials> agents, int threads, int rounds) throws Exception {
        Predicate<BigInteger> notRevoked = serial -> false;
        String chain = null;
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            for (AgentCredentials agent : agents) {
                chain = ca.issueAgentCertificate(agent.csrPem(), agent.agentId()).chainPem();
            }
            long issued = System.nanoTime();
            Instant now = Instant.now();
            for (int i = 0; i < agents.size(); i++) {
                if (!ca.verify(chain, notRevoked, now).isValid()) {
                    throw new AssertionError("verification failed");
                }
            }
            long verified = System.nanoTime();
            System.out.printf("%-8s round %d, 1 thread: issue %.0f us/op, verify %.0f us/op%n", ca.keyType(), round,
                    (issued - start) / 1e3 / agents.size(), (verified - issued) / 1e3 / agents.size());
        }

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = offset; i < agents.size(); i += threads) {
                        ca.issueAgentCertificate(agents.get(i).csrPem(), agents.get(i).agentId());
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-8s %d threads: %.0f issuances/s%n", ca.keyType(), threads, agents.size() / seconds);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }
}
