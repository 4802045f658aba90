#!/usr/bin/env bash
# The pull-request performance gate, measured the way .github/workflows/perf.yml measures it (base and head in one
# job, on one machine), but made trustworthy enough to loop:
#   - REPS interleaved repetitions per side, in ABBA order (base head, head base, base head, ...), so a drift in the
#     machine's other load hits both sides alike;
#   - each side's figure per method is the median of its repetitions (p50, p95, p99, mean, throughput), and head
#     fails only when a median regressed beyond TOLERANCE percent; every failure names the method and the figure.
# The phases themselves are steady-state (AgentLoadTest: 10 s each after a warm-up), so one repetition is already
# a measurement rather than a start-up.
#
# usage: perf-tests/gate.sh [BASE_REF]        BASE_REF defaults to HEAD: the same commit compared with itself
#                                             (the working tree as it is, on both sides)
# environment:
#   REPS=3            repetitions per side
#   TOLERANCE=20      percent a median may regress (the workflow's perf.baseline.tolerance)
#   GATE_TESTS=       a Surefire -Dtest pattern, e.g. AgentLoadTest (default: the whole perf suite, as the workflow)
#   GATE_ARGS=        more Maven arguments for both sides, e.g. "-o -Dperf.scale=0.5"
#   HEAD_ARGS=        more Maven arguments for head only, e.g. -Dsecrethub.perf.inject.readSlowdown=25 (the
#                     test-only switch that slows the suites' secret reads, to prove the gate catches it)
#   GATE_DIR=         where runs, logs and medians go (default perf-tests/target/gate/<timestamp>)
# exit status: 0 no regression, 1 a regression (listed), 2 a run did not complete.
#
# The 10 + 10 check of the gate itself:
#   for i in $(seq 10); do perf-tests/gate.sh; echo "same commit: $?"; done
#   for i in $(seq 10); do HEAD_ARGS=-Dsecrethub.perf.inject.readSlowdown=25 perf-tests/gate.sh; echo "slowed: $?"; done
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
base_ref="${1:-HEAD}"
reps="${REPS:-3}"
tolerance="${TOLERANCE:-20}"
gate_dir="${GATE_DIR:-$repo/perf-tests/target/gate/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$gate_dir"
command -v jq >/dev/null || { echo "gate: needs jq" >&2; exit 2; }

# --- the base side's source tree -----------------------------------------------------------------------------------
base_tree="$repo"
if [ "$(git -C "$repo" rev-parse "$base_ref")" != "$(git -C "$repo" rev-parse HEAD)" ]; then
  base_tree="$gate_dir/base-src"
  git -C "$repo" worktree add --detach --quiet "$base_tree" "$base_ref"
  trap 'git -C "$repo" worktree remove --force "$base_tree"' EXIT
fi
echo "gate: base $(git -C "$base_tree" rev-parse --short HEAD) vs head $(git -C "$repo" rev-parse --short HEAD)" \
  "(working tree), $reps repetitions each, tolerance $tolerance%, results in $gate_dir"

# --- one measured run ----------------------------------------------------------------------------------------------
run() { # side repetition
  local side="$1" rep="$2" tree="$repo" extra=()
  [ "$side" = base ] && tree="$base_tree"
  [ "$side" = head ] && [ -n "${HEAD_ARGS:-}" ] && read -r -a extra <<<"$HEAD_ARGS"
  local args=()
  [ -n "${GATE_ARGS:-}" ] && read -r -a args <<<"$GATE_ARGS"
  [ -n "${GATE_TESTS:-}" ] && args+=("-Dtest=$GATE_TESTS" -Dsurefire.failIfNoSpecifiedTests=false)
  local out="$gate_dir/$side-$rep"
  printf 'gate: %s run %d ... ' "$side" "$rep"
  # SLO breaches must not stop the measurement: the figures are what the gate compares.
  if (cd "$tree" && mvn -B test -Dgroups=perf -pl perf-tests -am -Dmaven.test.failure.ignore=true \
        -Dperf.baseline="$out.json" -Dperf.baseline.write=true -Dperf.results.dir="$out" \
        ${args[@]+"${args[@]}"} ${extra[@]+"${extra[@]}"}) >"$out.log" 2>&1 && [ -s "$out.json" ]; then
    echo "done"
  else
    echo "FAILED (see $out.log)"
    exit 2
  fi
}

for rep in $(seq 1 "$reps"); do
  if [ $((rep % 2)) -eq 1 ]; then run base "$rep"; run head "$rep"; else run head "$rep"; run base "$rep"; fi
done

# --- medians and the verdict ---------------------------------------------------------------------------------------
medians() { # files... -> {"Class#method": {metric: median}}
  jq -s 'def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    [.[].methods | to_entries[]] | group_by(.key)
    | map({key: .[0].key, value: ([.[].value] as $runs
        | reduce ("p50Nanos", "p95Nanos", "p99Nanos", "meanNanos", "throughput") as $m ({}; .[$m] = ([$runs[][$m]] | median)))})
    | from_entries' "$@"
}
medians "$gate_dir"/base-*.json >"$gate_dir/base-median.json"
medians "$gate_dir"/head-*.json >"$gate_dir/head-median.json"

jq -n -r --argjson tol "$tolerance" --slurpfile b "$gate_dir/base-median.json" --slurpfile h "$gate_dir/head-median.json" '
  def pct(h; b): if b == 0 then 0 else (h - b) * 100 / b end;
  def fmt: (. * 1000 | round / 1000 | tostring);
  def pfmt: (. * 10 | round / 10 | tostring);
  $b[0] as $base | $h[0] as $head |
  ($head | keys[] | select($base[.] != null)) as $k |
  ($base[$k]) as $bv | ($head[$k]) as $hv |
  (["p50Nanos", "p95Nanos", "p99Nanos", "meanNanos"][] as $m
     | pct($hv[$m]; $bv[$m]) as $c
     | "\(if $bv[$m] > 0 and $c > $tol then "REGRESSION" else "ok" end) \($k | sub("^.*\\."; "")) \($m | sub("Nanos"; "")): \($bv[$m] / 1e6 | fmt) ms -> \($hv[$m] / 1e6 | fmt) ms (\($c | pfmt)%)"),
  (pct($hv.throughput; $bv.throughput) as $c
     | "\(if $bv.throughput > 0 and -$c > $tol then "REGRESSION" else "ok" end) \($k | sub("^.*\\."; "")) throughput: \($bv.throughput | fmt)/s -> \($hv.throughput | fmt)/s (\($c | pfmt)%)")
' | tee "$gate_dir/verdict.txt"

if grep -q '^REGRESSION' "$gate_dir/verdict.txt"; then
  echo "gate: FAIL, medians of $reps interleaved runs regressed beyond $tolerance%:"
  grep '^REGRESSION' "$gate_dir/verdict.txt" | sed 's/^REGRESSION /  /'
  exit 1
fi
echo "gate: PASS, no median regressed beyond $tolerance%"
