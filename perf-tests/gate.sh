#!/usr/bin/env bash
# The pull-request performance gate, paired: base and head each get one JVM that stays up for the whole gate
# (perf-junit's io.secrethub.perf.gate.PairedGate and GateWorker), and the two take turns running the gated load
# tests in short windows, round after round, in ABBA order. Each figure of head is divided by base's figure of the
# same round, and a figure regressed only when the median of those paired changes is beyond TOLERANCE percent.
#
# Why paired: on this 2-core machine one run of AgentLoadTest moved up to 31% from the next run of the same code,
# all phases together, and within one JVM the read phase was still speeding up 25 s in (JIT). Two warm JVMs that
# alternate every ~12 s see the same machine and the same JIT progress, so those effects cancel in the ratio. The
# JVM started first runs faster (reads: +5% on average over 20 gates), so the gate uses FORKS pairs of JVMs,
# started in alternating order.
#
# usage: perf-tests/gate.sh [BASE_REF]        BASE_REF defaults to HEAD: the same commit compared with itself
#                                             (the working tree as it is, on both sides)
# environment:
#   ROUNDS=4           paired rounds per pair of JVMs (after WARMUP_ROUNDS=1 unmeasured round)
#   TOLERANCE=15       percent the median paired change may go the wrong way
#   METRICS=throughput which figures are gated (also p50, p95, p99, mean; gate latency for open-model tests)
#   GATE_TESTS=io.secrethub.perftests.AgentLoadTest   test classes (or Class#method), comma-separated
#   WINDOW=2s          how long each phase measures in a round (perf.duration), after WINDOW_WARMUP=500ms
#   WARMUP_WINDOW=3s   how long each phase runs in the warm-up rounds
#   FORKS=3            pairs of JVMs; each pair is started in the other order (base first, then head first): with
#                      3, base starts first in 2 pairs (the gate prints a note). FORKS=3 ROUNDS=4 (12 paired
#                      rounds, 7-7.5 min here) is what the 10 + 10 below was measured at, 2026-12-04: same commit
#                      10 passes of 10, reads slowed by 25% 10 failures of 10; FORKS=2 ROUNDS=3 missed 1 of 10
#   GATE_PARAMS=       JUnit configuration parameters for both sides, space-separated key=value
#   HEAD_PARAMS=       the same for head only, e.g. secrethub.perf.inject.readSlowdown=25 (the test-only switch that
#                      makes the suites' secret reads take 25% longer, to prove the gate catches it)
#   JVM_ARGS=          arguments for both sides' JVMs, space-separated
#   GATE_DIR=          where logs, results and the verdict go (default perf-tests/target/gate/<timestamp>)
#   MVN_ARGS=          more Maven arguments for building the class paths, e.g. -o
# exit status: 0 no regression, 1 a regression (each named), 2 the gate could not measure.
#
# The 10 + 10 check of the gate itself:
#   for i in $(seq 10); do perf-tests/gate.sh; echo "same commit: $?"; done
#   for i in $(seq 10); do HEAD_PARAMS=secrethub.perf.inject.readSlowdown=25 perf-tests/gate.sh; echo "slowed: $?"; done
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
base_ref="${1:-HEAD}"
gate_dir="${GATE_DIR:-$repo/perf-tests/target/gate/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$gate_dir"
mvn_args=()
[ -n "${MVN_ARGS:-}" ] && read -r -a mvn_args <<<"$MVN_ARGS"

# --- the base side's source tree -----------------------------------------------------------------------------------
base_tree="$repo"
if [ "$(git -C "$repo" rev-parse "$base_ref")" != "$(git -C "$repo" rev-parse HEAD)" ]; then
  base_tree="$gate_dir/base-src"
  git -C "$repo" worktree add --detach --quiet "$base_tree" "$base_ref"
  trap 'git -C "$repo" worktree remove --force "$base_tree"' EXIT
fi

# --- each side's test class path: compiled classes of perf-tests and every module it needs, then the jars ----------
classpath() { # tree -> file holding the class path
  local tree="$1" file="$gate_dir/$(basename "$1").classpath"
  (cd "$tree" && mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} test-compile dependency:build-classpath -pl perf-tests -am \
      -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test) >"$gate_dir/build-$(basename "$tree").log" 2>&1 \
    || { echo "gate: could not build $tree (see $gate_dir/build-$(basename "$tree").log)" >&2; exit 2; }
  echo "$tree/perf-tests/target/test-classes:$tree/perf-tests/target/classes:$(cat "$tree/perf-tests/target/test.classpath")" \
    >"$file"
  echo "$file"
}
head_cp="$(classpath "$repo")"
base_cp="$head_cp"
[ "$base_tree" != "$repo" ] && base_cp="$(classpath "$base_tree")"
echo "gate: base $(git -C "$base_tree" rev-parse --short HEAD) vs head $(git -C "$repo" rev-parse --short HEAD)" \
  "(working tree)"

gate_params=()
for pair in ${GATE_PARAMS:-}; do gate_params+=(--param "$pair"); done
jvm_args=()
for arg in ${JVM_ARGS:-}; do jvm_args+=(--jvm-arg "$arg"); done
head_params=()
for pair in ${HEAD_PARAMS:-}; do head_params+=(--head-param "$pair"); done

# The gate's driver runs on head's class path: its own perf-junit, whichever perf-junit base has.
rc=0
java -cp "$(cat "$head_cp")" io.secrethub.perf.gate.PairedGate \
  --base-classpath "@$base_cp" --head-classpath "@$head_cp" \
  --select "${GATE_TESTS:-io.secrethub.perftests.AgentLoadTest}" \
  --forks "${FORKS:-3}" --rounds "${ROUNDS:-4}" --warmup-rounds "${WARMUP_ROUNDS:-1}" \
  --tolerance "${TOLERANCE:-15}" --metrics "${METRICS:-throughput}" \
  --param "perf.duration=${WINDOW:-2s}" --param "perf.warmup=${WINDOW_WARMUP:-500ms}" \
  --warmup-param "perf.duration=${WARMUP_WINDOW:-3s}" \
  --jvm-arg -Djdk.tls.namedGroups=x25519 \
  ${gate_params[@]+"${gate_params[@]}"} ${jvm_args[@]+"${jvm_args[@]}"} ${head_params[@]+"${head_params[@]}"} \
  --out "$gate_dir" || rc=$?
exit "$rc"
