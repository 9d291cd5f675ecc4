package io.raftdb.sim.scenario;

import io.raftdb.message.LogEntryCodec;
import io.raftdb.storage.SnapshotInfo;
import java.util.Optional;

/**
 * One node's durable state across its incarnations: what a crash keeps and a restart finds (the
 * labs' persister): its log, its hard state and its snapshots. The harness calls {@link #open()}
 * to start an incarnation and {@link #crashed()} once that incarnation is closed.
 */
interface NodeDisk extends AutoCloseable {

  /**
   * The stores for a new incarnation, holding exactly what survived the previous one's crash
   * (nothing for the first incarnation).
   *
   * @throws IllegalStateException if the previous incarnation has not crashed yet
   */
  NodeStores open();

  /**
   * The running incarnation crashes now: what survives is what its disk had made durable at
   * this instant; whatever the incarnation still writes or syncs until it is closed is lost.
   * Called before the incarnation is closed. Does nothing if no incarnation is open.
   */
  void crashing();

  /**
   * Fixes what survives (as of {@link #crashing()}, or of now if it was not called): called
   * after the incarnation that uses the stores of the last {@link #open()} was closed without a
   * sync. Does nothing if no incarnation is open.
   */
  void crashed();

  /**
   * The size of the log a restart would find: the bytes of the entries it holds durably
   * ({@code firstIndex..lastIndex}), each counted as its {@link LogEntryCodec} record. The log part
   * of the labs' {@code RaftStateSize}. May be called while an incarnation runs.
   */
  long persistedLogBytes();

  /**
   * The size of the hard state (term and vote) a restart would find, in bytes as RaftDB's
   * {@code FileMetaStorage} writes it ({@link HardStateBytes}): the rest of the labs'
   * {@code RaftStateSize}, which counts {@code currentTerm} and {@code votedFor} with the log. May
   * be called while an incarnation runs.
   */
  long persistedHardStateBytes();

  /** The newest snapshot a restart would find. May be called while an incarnation runs. */
  Optional<SnapshotInfo> latestSnapshot();

  /** Releases what the disk holds (files, memory) at the end of a test. */
  @Override
  void close();
}
