#!/usr/bin/env bash
# Runs one JMH throughput benchmark and reports, beside its score, the CPU time its forked JVM
# used per operation over 8 s of the measurement (and the share of it spent in the kernel), and the machine's context switches per second.
# On a shared VM the same build's throughput moves by ±30% between runs; CPU per operation and
# interleaved runs of two builds compare builds better than one score.
#
#   scripts/cpu-per-op.sh benchmarks/target/benchmarks.jar SessionCommitThroughputBenchmark \
#       -p inFlight=64 -p transport=sim -p path=session
#
# (one parameter combination per call; 3 warm-up and 6 measured iterations of 2 s)
set -euo pipefail
jar=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
java -jar "$jar" "$@" -wi 3 -i 6 -w 2s -r 2s >"$out" 2>&1 &
bench=$!
sleep 11 # JVM start, setup and warm-up
pid=$(pgrep -f -n 'org.openjdk.jmh.runner.ForkedMain')
ticks() { awk '{print $14 + $15, $15}' "/proc/$pid/stat"; } # all CPU, kernel CPU
switches() { awk '/^ctxt/ {print $2}' /proc/stat; }
c1=$(switches); read -r t1 y1 < <(ticks); s1=$(date +%s.%N)
sleep 8
c2=$(switches); read -r t2 y2 < <(ticks); s2=$(date +%s.%N)
wait "$bench"
score=$(grep -E '^[A-Za-z]+Benchmark\.[a-z]+ ' "$out" | awk '{print $(NF-3)}' | tail -1)
python3 - "$score" "$s1" "$s2" "$t1" "$t2" "$y1" "$y2" "$c1" "$c2" "$(getconf CLK_TCK)" <<'PY'
import sys
score, s1, s2, t1, t2, y1, y2, c1, c2, hz = map(float, sys.argv[1:])
seconds = s2 - s1
cores = (t2 - t1) / hz / seconds
system = (y2 - y1) / max(t2 - t1, 1)
print(f"{score:.0f} ops/s, {cores:.2f} cores, {cores / score * 1e6:.2f} us CPU/op "
      f"({100 * system:.0f}% system), "
      f"{(c2 - c1) / seconds:.0f} context switches/s")
PY
