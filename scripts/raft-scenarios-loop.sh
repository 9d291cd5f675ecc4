#!/usr/bin/env bash
# Runs the Raft scenario suite (the MIT 6.824 2A/2B/2C re-creations and RaftDB's own cluster
# scenarios in raft-transport-sim) N times in a row, stopping at the first failure.
#
#   scripts/raft-scenarios-loop.sh [N]     N defaults to 30
#
# Prints, for every loop, whether it passed and its wall time; at the end the number of
# consecutive passes. A failing loop's surefire reports (which name the failing test's seed) are
# copied to target/raft-scenarios-failure-<loop>/ before the script exits with status 1.
# Extra Maven flags can be passed in MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build,
# MAVEN_ARGS=-Draftdb.scenario.seed=42 to fix every test's seed, or MAVEN_ARGS=-DforkCount=4 to
# run four scenario classes at once: they mostly wait on the clock (one uses about a tenth of a
# core), so a loop takes about 4.5 minutes instead of 11 on a 2-core machine, under more load.
set -euo pipefail

loops="${1:-30}"
if ! [[ "$loops" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [N]   (N = number of loops, a positive integer; default 30)" >&2
  exit 2
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
module=raft-transport-sim
reports="$module/target/surefire-reports"
pattern='io.raftdb.sim.scenario.*Test'

# Build once (and run nothing), so that each loop times only the suite.
echo "building $module and its dependencies ..."
./mvnw -q ${MAVEN_ARGS:-} -pl "$module" -am test-compile

passed=0
total_start=$(date +%s)
for ((loop = 1; loop <= loops; loop++)); do
  start=$(date +%s)
  log="$(mktemp)"
  if ./mvnw -q ${MAVEN_ARGS:-} -pl "$module" -am test \
      -Dtest="$pattern" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    passed=$((passed + 1))
    printf 'loop %d/%d passed in %ds\n' "$loop" "$loops" "$(( $(date +%s) - start ))"
    rm -f "$log"
  else
    printf 'loop %d/%d FAILED after %ds\n' "$loop" "$loops" "$(( $(date +%s) - start ))"
    keep="$module/target/raft-scenarios-failure-$loop"
    mkdir -p "$keep"
    cp -r "$reports"/. "$keep"/ 2>/dev/null || true
    cp "$log" "$keep/maven.log"
    rm -f "$log"
    grep -h -A3 -E 'FAIL|failed with seed' "$keep/maven.log" | head -40 || true
    echo "reports kept in $keep"
    echo "$passed consecutive loop(s) passed before the failure (total $(( $(date +%s) - total_start ))s)"
    exit 1
  fi
done
echo "all $passed loop(s) passed (total $(( $(date +%s) - total_start ))s)"
