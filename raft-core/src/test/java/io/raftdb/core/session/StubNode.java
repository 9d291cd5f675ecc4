package io.raftdb.core.session;

import io.raftdb.Membership;
import io.raftdb.NodeStatus;
import io.raftdb.ReadConsistency;
import io.raftdb.message.MembershipChange;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@link ClientService.Node} that refuses everything; a test overrides what it serves. */
abstract class StubNode implements ClientService.Node {

  @Override
  public CompletableFuture<byte[]> proposeSessionEntry(byte[] entry) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<CompletableFuture<byte[]>> proposeSessionEntries(List<byte[]> entries) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency) {
    throw new UnsupportedOperationException();
  }

  @Override
  public NodeStatus status() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Membership> changeMembership(MembershipChange change) {
    throw new UnsupportedOperationException();
  }
}
