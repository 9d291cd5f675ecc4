package io.raftdb.core.protocol;

/**
 * What a leader knows about one follower's log (thesis §3.5, and etcd-raft's progress tracker).
 *
 * <p>A follower is <em>probed</em> one message at a time until the leader finds where their logs
 * agree; then it is <em>replicated</em> to, with up to a window of messages in flight.
 */
final class Progress {
  /**
   * How the leader is currently sending to this follower. In SNAPSHOT mode a snapshot is being
   * shipped to it and no entries are sent until it is installed.
   */
  enum Mode { PROBE, REPLICATE, SNAPSHOT }

  Mode mode = Mode.PROBE;
  /** The highest index known to be durably replicated on the follower. */
  long matchIndex;
  /** The index of the next entry to send. */
  long nextIndex;
  /** In PROBE mode: a probe is outstanding, wait for its answer or the next heartbeat. */
  boolean probeSent;
  /** The highest message round the follower has answered in the leader's term. */
  long ackedRound;
  /** Whether the follower answered since the last check-quorum round. */
  boolean recentlyActive;
  /** Whether matchIndex moved since the last heartbeat: if not, a full window is presumed lost. */
  boolean progressedSinceHeartbeat;
  final Inflights inflights;

  Progress(long nextIndex, int maxInflight) {
    this.nextIndex = nextIndex;
    this.inflights = new Inflights(maxInflight);
  }

  /** Records an acknowledgement; returns whether it taught the leader something new. */
  boolean acknowledge(long index) {
    if (index <= matchIndex) {
      return false;
    }
    matchIndex = index;
    nextIndex = Math.max(nextIndex, index + 1);
    inflights.freeUpTo(index);
    progressedSinceHeartbeat = true;
    if (mode == Mode.PROBE) {
      mode = Mode.REPLICATE;
    }
    return true;
  }

  /** Falls back to probing from {@code next}. */
  void probeFrom(long next) {
    mode = Mode.PROBE;
    nextIndex = Math.max(next, matchIndex + 1);
    probeSent = false;
    inflights.clear();
  }

  /** Whether the leader may send this follower another message with entries now. */
  boolean canSendEntries() {
    return switch (mode) {
      case PROBE -> !probeSent;
      case REPLICATE -> !inflights.isFull();
      case SNAPSHOT -> false;
    };
  }

  /** Notes that entries up to {@code lastIndex} were just sent. */
  void sent(long lastIndex) {
    if (mode == Mode.PROBE) {
      probeSent = true;
    } else {
      inflights.add(lastIndex);
      nextIndex = lastIndex + 1;
    }
  }
}
