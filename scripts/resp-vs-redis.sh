#!/usr/bin/env bash
# redis-benchmark against a local three-process RaftDB cluster (through the leader's RESP port)
# and, in the same run, against a Redis that syncs every write (appendfsync always): both
# durable, so the figures compare like with like. Needs redis-server and redis-benchmark
# (Debian: apt-get install redis-server redis-tools). Arguments go to redis-benchmark in
# addition to the defaults below, e.g. `scripts/resp-vs-redis.sh -n 500000`.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install redis-server redis-tools)" >&2; exit 1; }
done
work="$(mktemp -d)"
raftdb_pid=""
redis_pid=""
cleanup() {
  [[ -n "$raftdb_pid" ]] && kill "$raftdb_pid" 2>/dev/null && wait "$raftdb_pid" 2>/dev/null || true
  [[ -n "$redis_pid" ]] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

resp_base=16379
redis_port=16479
peers="n1=127.0.0.1:17001,n2=127.0.0.1:17002,n3=127.0.0.1:17003"
bin/raftdb cluster --dir "$work/raftdb" --peers "$peers" --resp-port "$resp_base" \
  > "$work/cluster.out" 2>&1 &
raftdb_pid=$!
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" \
  --appendonly yes --appendfsync always --daemonize no > "$work/redis.out" 2>&1 &
redis_pid=$!

leader=""
for _ in $(seq 1 120); do
  for port in $resp_base $((resp_base + 1)) $((resp_base + 2)); do
    if redis-cli -p "$port" info raft 2>/dev/null | grep -q 'raft_role:leader'; then
      leader=$port
      break 2
    fi
  done
  sleep 1
done
[[ -n "$leader" ]] || { echo "no RaftDB leader; see $work/cluster.out" >&2; cat "$work/cluster.out" >&2; exit 1; }
redis-cli -p "$redis_port" ping >/dev/null

# The JVMs compile their hot paths in the first seconds (a single client's SET takes 1.1 ms cold,
# 0.5 ms warm); Redis needs no warm-up. Warm RaftDB up as JMH would, then measure both.
redis-benchmark -h 127.0.0.1 -p "$leader" -t set,get -d 128 -c 64 -P 4 -n 300000 -q \
  >/dev/null 2>&1 || true

echo "machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
for pipeline in 1 16; do
  for target in "RaftDB(leader):$leader" "Redis(appendfsync always):$redis_port"; do
    name="${target%:*}"
    port="${target##*:}"
    echo "== $name, -c 64 -d 128 -P $pipeline"
    redis-benchmark -h 127.0.0.1 -p "$port" -t set,get -d 128 -c 64 -P "$pipeline" \
      -n 200000 -q "$@" | tr '\r' '\n' | grep -v '^\s*$' | grep -v 'rps=' || true
  done
done
