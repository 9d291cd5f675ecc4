package io.raftdb.core.runtime;

import io.raftdb.core.protocol.Outbound;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The bookkeeping of pipelined persistence (thesis §10.2.1; etcd's asynchronous storage
 * writes): which writes a log sync covers, and what waits for one. The node's loop writes entries
 * and goes on stepping messages while a sync runs elsewhere (a thread in the runtime, virtual time
 * in the simulator); when the sync returns, this says how far the log is durable and which
 * held-back messages (acknowledgements and votes, which promise durability) may now go, in the
 * order they were held.
 *
 * <p>Writes are counted; a sync covers every write counted before it {@linkplain #startSync()
 * started} (group commit: one sync for all of them). Messages held at write count {@code k} go once
 * a sync covering {@code k} has returned, so no acknowledgement ever runs ahead of the disk, even
 * one for an empty heartbeat that follows unsynced entries.
 *
 * <p>Pure and single-threaded: the runtime's {@link EventLoop} and the simulator's node drive the
 * same code, so the seeds check what users run.
 */
public final class SyncPipeline {

  /** What a returned sync releases, in order. */
  public interface Release {
    /** The log is durable through {@code (index, term)} (see {@code RaftProtocol.persisted}). */
    void persisted(long index, long term);

    /** Messages that may go now. */
    void send(List<Outbound> messages);
  }

  /** Entries written up to {@code (index, term)}, or messages held, at write count {@code write}. */
  private record Waiting(long write, long index, long term, List<Outbound> messages) {}

  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private long written;
  private long requested;
  private long synced;

  /** Counts a write of entries ending at {@code (index, term)}; it is durable after a sync. */
  public void wrote(long index, long term) {
    written++;
    Waiting last = waiting.peekLast();
    if (last != null && last.messages == null && last.write > requested) {
      waiting.pollLast(); // no sync started covers it yet: the newer write's report says more
    }
    waiting.addLast(new Waiting(written, index, term, null));
  }

  /**
   * Messages that may go once everything written so far is durable: returned as they are when
   * it already is (send them now), otherwise kept until {@link #synced} releases them.
   */
  public List<Outbound> hold(List<Outbound> messages) {
    if (messages.isEmpty() || synced == written) {
      return messages;
    }
    waiting.addLast(new Waiting(written, 0, 0, messages));
    return List.of();
  }

  /** Whether something was written that no sync started so far covers. */
  public boolean syncDue() {
    return written > requested;
  }

  /** Whether a sync was started and has not returned. */
  public boolean syncInFlight() {
    return requested > synced;
  }

  /** Whether every write is durable and nothing waits. */
  public boolean idle() {
    return synced == written;
  }

  /** A sync starts now; returns the write count it covers (pass it to {@link #synced}). */
  public long startSync() {
    requested = written;
    return requested;
  }

  /**
   * A sync that covered the writes up to count {@code covered} returned: reports the durable
   * entries and sends the messages it frees, in the order they were written and held. A sync that
   * covers nothing new (a later one already returned) releases nothing.
   */
  public void synced(long covered, Release release) {
    if (covered <= synced) {
      return;
    }
    synced = covered;
    Waiting w;
    while ((w = waiting.peekFirst()) != null && w.write <= covered) {
      waiting.pollFirst();
      if (w.messages == null) {
        release.persisted(w.index, w.term);
      } else {
        release.send(w.messages);
      }
    }
  }

  /** A sync in line covered every write so far: releases everything that waits. */
  public void syncedAll(Release release) {
    requested = Math.max(requested, written);
    synced(written, release);
  }
}
