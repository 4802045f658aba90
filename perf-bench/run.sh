#!/usr/bin/env bash
# Speed benchmarks of perf-junit (see the "Speed" targets in DESIGN.md) and of secrethub-core's CPU-bound parts;
# they print their figures, nothing asserts.
#
#   perf-bench/run.sh              # all five (~4 min; figures are per core, so note the load)
#   perf-bench/run.sh overhead     # no-op @LoadTest vs JUnitPerf, 2 and 100 threads, in one JVM (cold, then warm)
#   perf-bench/run.sh alloc        # JMH -prof gc of the per-operation recording path (gc.alloc.rate.norm)
#   perf-bench/run.sh scale        # 10,000 agents x 100 ms sleep for 10 s, -Xmx512m, on Java 25
#   perf-bench/run.sh scale100k    # 100,000 agents x 1 s sleep for 30 s, -Xmx1g, on Java 25 (not in the default set)
#   perf-bench/run.sh policy       # JMH: a policy check, 10 policies x 20 rules (target <= 5 us), and compiling them
#   perf-bench/run.sh certs        # JMH: agent certificate issuance and verification, EC P-256 and RSA 3072 CAs
#
# SecretHub's end-to-end throughput with audit on, beside pgbench, is perf-bench/bench.sh (needs PostgreSQL).
#
# JAVA (default: java on PATH) runs overhead, alloc, policy and certs; JAVA25_HOME (default
# /usr/lib/jvm/temurin-25-jdk-amd64) runs scale. SKIP_BUILD=1 reuses target/perf-bench.jar.
set -euo pipefail
cd "$(dirname "$0")"
JAVA=${JAVA:-java}
JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=target/perf-bench.jar

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  (cd .. && mvn -q -pl perf-bench -am package -DskipTests)
fi

overhead() {
  echo "== Framework overhead: no-op method, perf-junit @LoadTest vs JUnitPerf @JUnitPerfTest"
  "$JAVA" -cp "$JAR" io.secrethub.perf.bench.OverheadBench
}

alloc() {
  echo "== Allocation of the recording path (JMH -prof gc)"
  "$JAVA" -jar "$JAR" RecordingBenchmark -prof gc -rf json -rff target/jmh-recording.json \
      | grep -E '^Benchmark|^RecordingBenchmark\.[a-zA-Z]+( |:gc\.alloc\.rate\.norm)'
}

scale() {
  echo "== Scale: 10,000 agents x sleep 100 ms for 10 s, -Xmx512m"
  "$JAVA25_HOME/bin/java" -Xmx512m -Xlog:gc:file=target/scale-gc.log -cp "$JAR" io.secrethub.perf.bench.ScaleBench
}

scale100k() {
  echo "== Scale: 100,000 agents x sleep 1 s for 30 s, -Xmx1g"
  "$JAVA25_HOME/bin/java" -Xmx1g -Xlog:gc:file=target/scale100k-gc.log -Dscale.agents=100000 \
      -Dscale.sleepMillis=1000 -Dscale.duration=30s -cp "$JAR" io.secrethub.perf.bench.ScaleBench
}

policy() {
  echo "== Policy evaluation: 10 policies x 20 rules (JMH)"
  "$JAVA" -jar "$JAR" PolicyEvaluationBenchmark -rf json -rff target/jmh-policy.json \
      | grep -E '^Benchmark|^PolicyEvaluationBenchmark\.'
}

certs() {
  echo "== Agent certificate issuance and verification (JMH)"
  "$JAVA" -jar "$JAR" CertificateIssuanceBenchmark -rf json -rff target/jmh-certs.json \
      | grep -E '^Benchmark|^CertificateIssuanceBenchmark\.'
}

for bench in "${@:-overhead alloc scale policy certs}"; do
  for b in $bench; do "$b"; done
done
