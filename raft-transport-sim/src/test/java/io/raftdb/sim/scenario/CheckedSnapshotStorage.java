package io.raftdb.sim.scenario;

import io.raftdb.Membership;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.SnapshotStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A node's snapshot store with the labs' snapshot check in front: every snapshot saved (taken by
 * the node) and every one opened to be restored (at start-up, or installed from the leader) is
 * decoded and checked against its index by {@link AppliedLog#checkSnapshot}. The store itself is
 * untouched; this wrapper lives as long as one incarnation.
 *
 * <p>The stored state is the runtime's session framing around the {@link CommandHistory}:
 * {@code magic 8 bytes | table length int | table | history}, as {@code SessionStateMachine}
 * documents; a change there fails every check here loudly rather than passing silently.
 */
final class CheckedSnapshotStorage implements SnapshotStorage {
  private static final long SESSION_MAGIC = 0x5261667444425331L; // "RaftDBS1"

  private final SnapshotStorage inner;
  private final AppliedLog applied;
  private final int node;

  CheckedSnapshotStorage(SnapshotStorage inner, AppliedLog applied, int node) {
    this.inner = inner;
    this.applied = applied;
    this.node = node;
  }

  @Override
  public Optional<SnapshotInfo> latest() {
    return inner.latest();
  }

  @Override
  public SnapshotInfo save(long index, long term, Membership members,
      StateMachine.SnapshotWriter state) {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    SnapshotInfo saved = inner.save(index, term, members, out -> state.writeTo(tee(out, copy)));
    check(index, copy.toByteArray(), "the snapshot taken");
    return saved;
  }

  @Override
  public InputStream openState(SnapshotInfo snapshot) {
    byte[] bytes;
    try (InputStream in = inner.openState(snapshot)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    check(snapshot.index(), bytes, "the snapshot restored");
    return new ByteArrayInputStream(bytes);
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

  private void check(long index, byte[] state, String what) {
    SortedMap<Long, Long> contents;
    try {
      contents = decode(state);
    } catch (IOException e) {
      applied.recordError(what + " of server " + node + " at index " + index
          + " cannot be decoded: " + e.getMessage());
      return;
    }
    applied.checkSnapshot(node, index, contents, what);
  }

  /** The commands of a stored state: the session framing skipped, the history read. */
  static SortedMap<Long, Long> decode(byte[] state) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
    if (in.readLong() != SESSION_MAGIC) {
      throw new IOException("no session framing");
    }
    int tableBytes = in.readInt();
    if (in.skipBytes(tableBytes) != tableBytes) {
      throw new IOException("truncated session table");
    }
    return CommandHistory.read(in).capture().toMap();
  }

  private static OutputStream tee(OutputStream out, ByteArrayOutputStream copy) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        copy.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        copy.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }
    };
  }
}
