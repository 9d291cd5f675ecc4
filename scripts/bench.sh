#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them; arguments go to JMH (e.g. a benchmark regex, -prof gc).
# Results are written as JSON to benchmarks/results/<timestamp>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp install -DskipTests
mkdir -p benchmarks/results
out="benchmarks/results/$(date +%Y%m%d-%H%M%S).json"
java -jar benchmarks/target/benchmarks.jar -rf json -rff "$out" "$@"
echo "results: $out"
