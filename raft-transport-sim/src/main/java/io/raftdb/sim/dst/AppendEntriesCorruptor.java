package io.raftdb.sim.dst;

import io.raftdb.message.AppendEntries;
import io.raftdb.message.RaftMessage;
import java.util.SplittableRandom;

/**
 * The broken wire of {@link BrokenVariant#MUTATING_NETWORK}: one AppendEntries in
 * {@value #ONE_IN} gets a wrong {@code prevLogTerm} or a {@code leaderCommit} beyond what the
 * leader has committed. Either lets a follower accept or commit what it must not.
 */
final class AppendEntriesCorruptor implements MessageTamper {
  /** How rare a corrupted AppendEntries is. */
  static final int ONE_IN = 5;

  private long corrupted;

  @Override
  public RaftMessage tamper(RaftMessage m, SplittableRandom random) {
    if (!(m instanceof AppendEntries ae) || random.nextInt(ONE_IN) != 0) {
      return m;
    }
    corrupted++;
    if (random.nextBoolean() && ae.prevLogIndex() > 0) {
      long wrongTerm = random.nextBoolean() || ae.prevLogTerm() <= 1
          ? ae.prevLogTerm() + 1 : ae.prevLogTerm() - 1;
      return new AppendEntries(ae.groupId(), ae.from(), ae.term(), ae.prevLogIndex(), wrongTerm,
          ae.leaderCommit(), ae.round(), ae.entries());
    }
    return new AppendEntries(ae.groupId(), ae.from(), ae.term(), ae.prevLogIndex(),
        ae.prevLogTerm(), ae.leaderCommit() + 1 + random.nextInt(8), ae.round(), ae.entries());
  }

  /** How many messages were corrupted. */
  long corrupted() {
    return corrupted;
  }
}
