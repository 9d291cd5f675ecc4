package io.raftdb.core.runtime;

import io.raftdb.NodeId;
import io.raftdb.Membership;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.SnapshotStorage;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** A {@link SnapshotStorage} that passes every call on; tests override what they break. */
class ForwardingSnapshotStorage implements SnapshotStorage {
  private final SnapshotStorage inner;

  ForwardingSnapshotStorage(SnapshotStorage inner) {
    this.inner = inner;
  }

  @Override
  public Optional<SnapshotInfo> latest() {
    return inner.latest();
  }

  @Override
  public SnapshotInfo save(long index, long term, Membership members,
      StateMachine.SnapshotWriter state) {
    return inner.save(index, term, members, state);
  }

  @Override
  public InputStream openState(SnapshotInfo snapshot) {
    return inner.openState(snapshot);
  }

  @Override
  public byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) {
    return inner.read(snapshot, offset, maxBytes);
  }

  @Override
  public SnapshotReceiver receive(long index, long term) {
    return inner.receive(index, term);
  }

  @Override
  public void close() {
    inner.close();
  }
}
