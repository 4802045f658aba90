#!/usr/bin/env bash
# perf-junit's speed benchmarks (see the "Speed" targets in DESIGN.md); they print their figures, nothing asserts.
#
#   perf-bench/run.sh              # all three: overhead, allocation, scale (~2 min; figures are per core, so note the load)
#   perf-bench/run.sh overhead     # no-op @LoadTest vs JUnitPerf, 2 and 100 threads, in one JVM (cold, then warm)
#   perf-bench/run.sh alloc        # JMH -prof gc of the per-operation recording path (gc.alloc.rate.norm)
#   perf-bench/run.sh scale        # 10,000 agents x 100 ms sleep for 10 s, -Xmx512m, on Java 25
#
# JAVA (default: java on PATH) runs overhead and alloc; JAVA25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64)
# runs scale. SKIP_BUILD=1 reuses target/perf-bench.jar.
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

for bench in "${@:-overhead alloc scale}"; do
  for b in $bench; do "$b"; done
done
