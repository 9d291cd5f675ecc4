#!/usr/bin/env bash
# Builds RaftDB and runs the demo: a three-node group that elects a leader, replicates commands,
# loses its leader and carries on. Needs only a JDK 17+ (the Maven Wrapper fetches Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp install -DskipTests
./mvnw -q -B -ntp -pl raft-transport-sim exec:exec@demo
