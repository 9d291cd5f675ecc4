package io.raftdb.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.raftdb.NodeId;
import io.raftdb.RaftMetrics;
import java.util.concurrent.TimeUnit;

/**
 * Records a node's {@link RaftMetrics} in a Micrometer {@link MeterRegistry}, every meter named
 * {@code raftdb.*} and tagged with {@code node}. Latencies are timers with percentile
 * histograms, so that a Prometheus registry can serve quantiles across nodes.
 *
 * <pre>{@code
 * RaftNode node = RaftNode.builder()...metrics(new MicrometerRaftMetrics(registry, id)).build();
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of {@code raft-core}: a program that uses this class
 * puts {@code micrometer-core} on its class path.
 */
public final class MicrometerRaftMetrics implements RaftMetrics {
  private final Counter proposals;
  private final Counter refused;
  private final Timer commitLatency;
  private final Timer applyLatency;
  private final Counter appliedEntries;
  private final Counter bytesSent;
  private final Counter bytesReceived;
  private final Counter dropped;
  private final Counter elections;
  private final Counter leaderships;
  private final Counter snapshotsTaken;
  private final Counter snapshotsInstalled;

  /** Registers this node's meters in {@code registry}. */
  public MicrometerRaftMetrics(MeterRegistry registry, NodeId node) {
    Tags tags = Tags.of("node", node.value());
    proposals = counter(registry, "raftdb.proposals", "commands proposed and admitted", tags);
    refused = counter(registry, "raftdb.refused",
        "proposals and reads refused at once (too large, or overloaded)", tags);
    commitLatency = timer(registry, "raftdb.commit.latency",
        "from propose to commit, for commands proposed on this node", tags);
    applyLatency = timer(registry, "raftdb.apply.latency",
        "from commit to applied, per batch of committed entries", tags);
    appliedEntries = counter(registry, "raftdb.applied.entries", "committed entries applied",
        tags);
    bytesSent = Counter.builder("raftdb.bytes.sent").baseUnit("bytes").tags(tags)
        .description("log entry and snapshot bytes sent to peers").register(registry);
    bytesReceived = Counter.builder("raftdb.bytes.received").baseUnit("bytes").tags(tags)
        .description("log entry and snapshot bytes received from peers").register(registry);
    dropped = counter(registry, "raftdb.messages.dropped",
        "messages dropped: invalid on arrival, or refused by the transport", tags);
    elections = counter(registry, "raftdb.elections", "elections (and pre-votes) started", tags);
    leaderships = counter(registry, "raftdb.leaderships", "times this node became leader", tags);
    snapshotsTaken = counter(registry, "raftdb.snapshots.taken", "snapshots written", tags);
    snapshotsInstalled = counter(registry, "raftdb.snapshots.installed",
        "snapshots installed from the leader", tags);
  }

  private static Counter counter(MeterRegistry registry, String name, String what, Tags tags) {
    return Counter.builder(name).description(what).tags(tags).register(registry);
  }

  private static Timer timer(MeterRegistry registry, String name, String what, Tags tags) {
    return Timer.builder(name).description(what).tags(tags).publishPercentileHistogram()
        .register(registry);
  }

  @Override
  public void proposed(int bytes) {
    proposals.increment();
  }

  @Override
  public void refused() {
    refused.increment();
  }

  @Override
  public void committed(long nanos) {
    commitLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void applied(int entries, long nanos) {
    appliedEntries.increment(entries);
    applyLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void sent(long entryBytes) {
    bytesSent.increment(entryBytes);
  }

  @Override
  public void received(long entryBytes) {
    bytesReceived.increment(entryBytes);
  }

  @Override
  public void dropped() {
    dropped.increment();
  }

  @Override
  public void electionStarted() {
    elections.increment();
  }

  @Override
  public void becameLeader() {
    leaderships.increment();
  }

  @Override
  public void snapshotTaken() {
    snapshotsTaken.increment();
  }

  @Override
  public void snapshotInstalled() {
    snapshotsInstalled.increment();
  }
}
