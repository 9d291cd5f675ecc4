package io.raftdb.core.runtime;

import io.raftdb.NodeId;
import io.raftdb.OverloadedException;
import io.raftdb.RaftConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounds on what callers may have pending on one node (see {@link RaftConfig}): proposals
 * from {@code propose} until their result is known, their bytes, and reads until answered. A
 * request past a bound is refused at once with {@link OverloadedException}, so that no queue
 * grows without bound behind a slow disk, network or state machine.
 *
 * <p>Threading: any thread; a request is admitted by its caller and released by whichever
 * thread completes it.
 */
final class Admission {
  private final NodeId self;
  private final RaftConfig config;
  private final AtomicInteger proposals = new AtomicInteger();
  private final AtomicLong proposalBytes = new AtomicLong();
  private final AtomicInteger reads = new AtomicInteger();

  Admission(NodeId self, RaftConfig config) {
    this.self = self;
    this.config = config;
  }

  /** Admits a proposal of {@code bytes}, or says which bound it would break. */
  OverloadedException admitProposal(int bytes) {
    int n = proposals.incrementAndGet();
    long b = proposalBytes.addAndGet(bytes);
    if (n <= config.maxPendingProposals() && b <= config.maxPendingProposalBytes()) {
      return null;
    }
    releaseProposal(bytes);
    return new OverloadedException("node " + self + " is overloaded: " + (n - 1)
        + " proposals of " + (b - bytes) + " bytes wait (RaftConfig.maxPendingProposals "
        + config.maxPendingProposals() + ", maxPendingProposalBytes "
        + config.maxPendingProposalBytes() + ")");
  }

  /** A proposal of {@code bytes} was settled. */
  void releaseProposal(int bytes) {
    proposals.decrementAndGet();
    proposalBytes.addAndGet(-bytes);
  }

  /** Admits a read, or says why not. */
  OverloadedException admitRead() {
    int n = reads.incrementAndGet();
    if (n <= config.maxPendingReads()) {
      return null;
    }
    releaseRead();
    return new OverloadedException("node " + self + " is overloaded: " + (n - 1)
        + " reads wait (RaftConfig.maxPendingReads " + config.maxPendingReads() + ")");
  }

  /** A read was answered or failed. */
  void releaseRead() {
    reads.decrementAndGet();
  }
}
