package io.raftdb.core.runtime;

import io.raftdb.LogPosition;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.protocol.Ready;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.HardState;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;
import java.util.List;

/**
 * Acts on a node's {@link Ready}s in the order {@code Ready} prescribes, with pipelined
 * persistence: the one driver behind the runtime's {@link EventLoop} and the simulator's node, so
 * that what the simulator's seeds check is the code users run. What differs between the two
 * comes from the {@link Host}: how messages travel, how long a sync takes and on which thread,
 * where committed entries are applied.
 *
 * <p>A ready that only appends (no term or vote, no reset, nothing overwritten) is written and
 * the driver goes on: its {@link Ready#messagesAfterPersist()} wait in a {@link SyncPipeline}
 * until a background sync covers them ({@link #startSync}, {@link #synced}). Any other ready waits
 * for the background sync in flight (never truncate or reset under it), saves the term and vote,
 * writes, syncs in line and only then sends. On a log that does not sync in the background every
 * ready is persisted in line.
 *
 * <p>Single-threaded: the node's loop calls everything here, between the protocol's
 * {@code ready()} and its next {@code ready()}.
 */
public final class ReadyDriver {

  /** What a driver needs from the node around it. */
  public interface Host {
    /** Sends messages (the transport; order within the list kept). */
    void send(List<Outbound> messages);

    /**
     * Hands the ready's snapshot to restore, committed entries and confirmed and dropped reads to
     * the state machine's side; called after the ready is durable, before {@code advance}.
     */
    void handOver(Ready ready);

    /**
     * A background sync is in flight: runs {@code then} once it has returned and been reported to
     * {@link #synced} (the runtime waits; the simulator continues later).
     */
    void afterSyncInFlight(Runnable then);

    /**
     * Syncs on the loop and then runs {@code then}: now in the runtime, after virtual time in the
     * simulator, never if the node crashes first. {@code logWritten} says whether the log has
     * writes to sync (otherwise only the term and vote changed, which are durable already).
     */
    void syncInLine(boolean logWritten, Runnable then);

    /**
     * A write failed: the node must stop, and nothing that depends on the write (its messages,
     * the protocol's advance) happens.
     */
    void storageFailed(RuntimeException failure);

    /** The log was reset to start after {@code snapshot} (for checkers; nothing by default). */
    default void logReset(LogPosition snapshot) {}

    /** The log was truncated from {@code index} on (for checkers). */
    default void logTruncated(long index) {}

    /** Entries were appended to the log (for checkers). */
    default void logAppended(List<LogEntry> entries) {}

    /** The term and vote were saved (for checkers). */
    default void hardStateSaved(HardState state) {}
  }

  private final RaftProtocol protocol;
  private final LogStorage log;
  private final MetaStorage meta;
  private final boolean syncsInBackground;
  private final SnapshotShipper shipper;
  private final SnapshotInstaller installer;
  private final Host host;
  private final SyncPipeline pipeline = new SyncPipeline();
  private final SyncPipeline.Release release;
  private boolean acknowledgeEarly;

  /**
   * @param syncsInBackground whether appends are synced by a background sync (the log
   *     {@linkplain LogStorage#syncsConcurrently() syncs concurrently}), or every ready in line
   */
  public ReadyDriver(RaftProtocol protocol, LogStorage log, MetaStorage meta,
      boolean syncsInBackground, SnapshotShipper shipper, SnapshotInstaller installer,
      Host host) {
    this.protocol = protocol;
    this.log = log;
    this.meta = meta;
    this.syncsInBackground = syncsInBackground;
    this.shipper = shipper;
    this.installer = installer;
    this.host = host;
    this.release = new SyncPipeline.Release() {
      @Override
      public void persisted(long index, long term) {
        protocol.persisted(index, term);
      }

      @Override
      public void send(List<Outbound> messages) {
        host.send(messages);
      }
    };
  }

  /**
   * The simulator's broken variant: acknowledgements go out as soon as their entries are written,
   * without waiting for a sync. Never call it in a real node.
   */
  public void acknowledgeBeforeSync() {
    acknowledgeEarly = true;
  }

  /** Acts on {@code ready}; {@code now} is the shipper's clock. */
  public void handle(Ready ready, long now) {
    host.send(ready.messages());
    if (syncsInBackground && appendsOnly(ready)) {
      List<LogEntry> entries = ready.entries();
      if (!entries.isEmpty()) {
        try {
          log.append(entries);
        } catch (RuntimeException e) {
          host.storageFailed(e);
          return;
        }
        host.logAppended(entries);
        LogEntry last = ready.lastEntry();
        pipeline.wrote(last.index(), last.term());
      }
      finish(ready, acknowledgeEarly ? ready.messagesAfterPersist()
          : pipeline.hold(ready.messagesAfterPersist()), now);
      return;
    }
    if (pipeline.syncInFlight()) {
      host.afterSyncInFlight(() -> persistInLine(ready, now));
    } else {
      persistInLine(ready, now);
    }
  }

  /** Whether the ready only adds entries after the log's end (no term, vote, reset or overwrite). */
  private boolean appendsOnly(Ready ready) {
    return ready.hardState() == null && ready.logReset() == null
        && (ready.entries().isEmpty() || ready.entries().get(0).index() > log.lastIndex());
  }

  private void persistInLine(Ready ready, long now) {
    if (!write(ready)) {
      return;
    }
    if (ready.nothingToPersist() && pipeline.idle()) {
      finish(ready, ready.messagesAfterPersist(), now);
      return;
    }
    host.syncInLine(ready.logReset() != null || !pipeline.idle(), () -> {
      pipeline.syncedAll(release);
      finish(ready, ready.messagesAfterPersist(), now);
    });
  }

  /**
   * Saves the term and vote, resets, truncates and appends as the ready says, then tells the
   * host what was written; false (and the host told) if a write failed.
   */
  private boolean write(Ready ready) {
    HardState hardState = ready.hardState();
    LogPosition reset = ready.logReset();
    List<LogEntry> entries = ready.entries();
    long truncatedFrom = 0;
    try {
      if (hardState != null) {
        meta.save(hardState); // first, so the log never runs ahead of the term
      }
      if (reset != null) {
        log.reset(reset.index(), reset.term());
      }
      if (!entries.isEmpty()) {
        long first = entries.get(0).index();
        if (first <= log.lastIndex()) {
          log.truncateSuffix(first); // a conflicting suffix the leader overwrote
          truncatedFrom = first;
        }
        log.append(entries);
      }
    } catch (RuntimeException e) {
      host.storageFailed(e);
      return false;
    }
    if (hardState != null) {
      host.hardStateSaved(hardState);
    }
    if (reset != null) {
      host.logReset(reset);
    }
    if (truncatedFrom > 0) {
      host.logTruncated(truncatedFrom);
    }
    if (!entries.isEmpty()) {
      host.logAppended(entries);
      LogEntry last = ready.lastEntry();
      pipeline.wrote(last.index(), last.term());
    }
    return true;
  }

  /** The part after persistence: send, hand over, advance, then the snapshot work. */
  private void finish(Ready ready, List<Outbound> afterPersist, long now) {
    host.send(afterPersist);
    host.handOver(ready);
    protocol.advance(ready);
    // Snapshot work touches the protocol, so it waits for advance.
    shipper.start(ready.snapshotsToSend(), now);
    host.send(installer.accept(ready.snapshotChunks()));
  }

  /**
   * The protocol has nothing more ready: answers that promised a log reset go out (the reset,
   * persisted in line, is durable by now).
   */
  public void idle() {
    host.send(installer.takeDoneAnswers());
  }

  /** Whether something was written that no background sync started so far covers. */
  public boolean syncDue() {
    return pipeline.syncDue();
  }

  /** Whether a background sync was started and has not been reported. */
  public boolean syncInFlight() {
    return pipeline.syncInFlight();
  }

  /** A background sync starts now; returns what it covers (pass it to {@link #synced}). */
  public long startSync() {
    return pipeline.startSync();
  }

  /** A background sync covering writes up to {@code covered} returned: release what it covers. */
  public void synced(long covered) {
    pipeline.synced(covered, release);
  }
}
