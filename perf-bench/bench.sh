#!/usr/bin/env bash
# secrethub-core's throughput benchmark: reads, writes, AppRole logins and agent registrations with audit on,
# then pgbench's select-only and single-insert TPS on the same server, and the ratios. Prints figures; asserts
# nothing. Needs PostgreSQL (libpq variables PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 as postgres).
#
#   secrethub-core/bench.sh                 # 100 callers, 10 s per phase, 32 pooled connections (~2 min)
#   secrethub-core/bench.sh 100 5 32        # callers, seconds per phase, pool size
#
# JAVA (default: java on PATH) picks the JVM, e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
mvn -B -q -pl secrethub-core -am test-compile
mvn -B -q -pl secrethub-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/secrethub-core/target/bench.classpath"
cp="secrethub-core/target/test-classes:secrethub-core/target/classes:$(cat secrethub-core/target/bench.classpath)"
exec "$JAVA" ${JAVA_OPTS:-} -cp "$cp" io.secrethub.core.bench.SecretHubBenchmark "$@"
