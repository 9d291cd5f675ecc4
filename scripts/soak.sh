#!/usr/bin/env bash
# Runs the deterministic simulator (io.raftdb.sim.dst.SoakRunner) over many seeds: N Raft
# protocol instances on virtual time with crashes, partitions, message loss, duplication and
# reordering, clock skew, slow disks, stalled nodes (GC pauses) and quick restarts, snapshots,
# log compaction and InstallSnapshot (in four seeds of five by default), every safety invariant
# checked after every event.
# All arguments are passed through to the runner:
#
#   scripts/soak.sh --seeds 10000 --steps 3000        a long soak (group size rotates 3, 5, 7)
#   scripts/soak.sh --seed 2823 --nodes 3 --steps 3000   replay one seed, printing its report
#   scripts/soak.sh --seed 2823 --nodes 3 --verbose      ... and every event as it happens
#   scripts/soak.sh --seeds 10000 --snapshots on       every seed with snapshots (or: off)
#   scripts/soak.sh --seeds 30000 --lease-reads        clients also issue LEASE reads
#   scripts/soak.sh --seeds 300 --lease-reads --variant tick-lease   a broken variant the
#                                                      lease-read check must catch
#   scripts/soak.sh --help                                all options
#
# A failure prints the seed, the first violated invariant, the last 50 events and the exact
# command that replays it; the exit status is 1 if any seed failed.
# Extra Maven flags can be passed in MAVEN_ARGS (e.g. MAVEN_ARGS=-o for an offline build);
# extra JVM flags in JAVA_OPTS.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
module=raft-transport-sim
classpath_file="$module/target/soak-classpath.txt"

# Compile the simulator and what it depends on (reactor builds resolve to target/classes), and
# write the module's class path. Each module of the reactor writes its own file under target/.
./mvnw -q ${MAVEN_ARGS:-} -pl "$module" -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/soak-classpath.txt >&2

# The simulated nodes run the runtime's snapshot classes, which log at INFO: keep to warnings.
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${JAVA_OPTS:-} -cp "$module/target/classes:$(cat "$classpath_file")" \
  io.raftdb.sim.dst.SoakRunner "$@"
