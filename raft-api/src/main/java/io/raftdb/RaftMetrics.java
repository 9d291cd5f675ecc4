package io.raftdb;

/**
 * Where a node reports what it does, for monitoring. Give one to
 * {@link RaftNodeBuilder#metrics}; {@code raft-core}'s {@code MicrometerRaftMetrics} records into
 * a Micrometer {@code MeterRegistry}, and without one the node reports nothing
 * ({@link #NONE}).
 *
 * <p>Threading: called from the node's threads, often on its hot paths: implementations must be
 * thread-safe, quick, and must not block or throw. Every method does nothing by default.
 */
public interface RaftMetrics {
  /** Records nothing. */
  RaftMetrics NONE = new RaftMetrics() {};

  /** A command of {@code bytes} was proposed on this node and admitted. */
  default void proposed(int bytes) {}

  /** A proposal or read was refused at once (too large, or the node overloaded). */
  default void refused() {}

  /** A command proposed on this node was committed {@code nanos} after it was proposed. */
  default void committed(long nanos) {}

  /** {@code entries} committed entries were applied, {@code nanos} after they were committed. */
  default void applied(int entries, long nanos) {}

  /** A message carrying {@code entryBytes} of log entries or snapshot data was sent. */
  default void sent(long entryBytes) {}

  /** A message carrying {@code entryBytes} of log entries or snapshot data arrived. */
  default void received(long entryBytes) {}

  /** A message was dropped: invalid on arrival, or refused by the transport when sent. */
  default void dropped() {}

  /** This node started an election (a pre-vote or a vote). */
  default void electionStarted() {}

  /** This node became the leader. */
  default void becameLeader() {}

  /** This node wrote a snapshot of its state machine. */
  default void snapshotTaken() {}

  /** This node installed a snapshot sent by the leader. */
  default void snapshotInstalled() {}
}
