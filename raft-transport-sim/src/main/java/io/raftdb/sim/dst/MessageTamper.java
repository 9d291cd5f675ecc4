package io.raftdb.sim.dst;

import io.raftdb.message.RaftMessage;
import java.util.SplittableRandom;

/**
 * A hook on the simulated wire that may alter a message before it is encoded, standing for
 * corruption that a checksum does not catch. The honest wire returns the message unchanged.
 */
interface MessageTamper {
  /** The wire that changes nothing. */
  MessageTamper HONEST = (m, random) -> m;

  /** The message to put on the wire instead of {@code m} (usually {@code m} itself). */
  RaftMessage tamper(RaftMessage m, SplittableRandom random);
}
