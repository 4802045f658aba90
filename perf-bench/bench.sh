#!/usr/bin/env bash
# secrethub-core's throughput benchmark: reads, writes, AppRole logins and agent registrations with audit on,
# then pgbench's select-only and single-insert TPS on the same server, and the ratios. Prints figures; asserts
# nothing. Needs PostgreSQL (libpq variables PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 as postgres).
#
#   perf-bench/bench.sh                 # 100 callers, 10 s per phase, 32 pooled connections (~2 min)
#   perf-bench/bench.sh 100 5 32        # callers, seconds per phase, pool size
#
# JAVA (default: java on PATH) picks the JVM, e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java;
# JAVA_OPTS its options: -Dbench.phases=read for some phases only, -Dbench.warmup=S for a longer warm-up,
# -Dbench.jfr=DIR for a Flight Recording of each phase (DIR/read.jfr, ...), -Dsecrethub.maxConcurrentRequests=N
# for the instance's request queue (0: none). SKIP_BUILD=1 reuses
# target/perf-bench.jar. The JMH micro-benchmarks of the core are in run.sh.
set -euo pipefail
cd "$(dirname "$0")"
JAVA=${JAVA:-java}
JAR=target/perf-bench.jar

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  (cd .. && mvn -B -q -pl perf-bench -am package -DskipTests)
fi
exec "$JAVA" ${JAVA_OPTS:-} -cp "$JAR" io.secrethub.core.bench.SecretHubBenchmark "$@"
