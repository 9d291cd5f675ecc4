package io.raftdb.sim.dst;

import io.raftdb.StateMachine;
import io.raftdb.message.LogEntry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The workload's state machine: its value is a hash of every entry applied so far, in order, so
 * any difference in what two nodes applied at any index shows as different values from there on.
 *
 * <p>It takes snapshots the way {@link StateMachine#captureSnapshot()} asks: the capture pins the
 * value of the moment, and the writer, which may run much later, writes that value. A snapshot is
 * the value followed by filler bytes derived from it (so that a snapshot can be made large enough
 * to travel in several chunks); a restore checks the filler, so bytes mixed up on the way show.
 */
final class RunningHash {
  /** The bytes of a snapshot besides the filler: magic, value and filler length. */
  static final int FIXED_BYTES = 4 + 8 + 4;
  private static final int MAGIC = 0x52485348; // "RHSH"
  /** The most filler a snapshot may announce (bounds what a corrupt length can make us read). */
  static final int MAX_FILLER = 1 << 20;

  private long appliedIndex;
  private long value;

  /** Applies the next entry; returns the new value. */
  long apply(LogEntry e) {
    appliedIndex = e.index();
    value = Hashes.combine(value, Hashes.entry(e));
    return value;
  }

  long appliedIndex() {
    return appliedIndex;
  }

  long value() {
    return value;
  }

  /**
   * Captures the state for a snapshot: the writer writes the value as it is now, with
   * {@code fillerBytes} of filler, however much is applied before it runs.
   */
  StateMachine.SnapshotWriter capture(int fillerBytes) {
    long pinned = value;
    return out -> write(new DataOutputStream(out), pinned, fillerBytes);
  }

  /**
   * A broken capture ({@link BrokenVariant#UNPINNED_SNAPSHOT}): the writer writes whatever the
   * value is when it runs, not when the snapshot was taken.
   */
  StateMachine.SnapshotWriter captureUnpinned(int fillerBytes) {
    return out -> write(new DataOutputStream(out), value, fillerBytes);
  }

  private static void write(DataOutputStream out, long value, int fillerBytes)
      throws IOException {
    out.writeInt(MAGIC);
    out.writeLong(value);
    out.writeInt(fillerBytes);
    for (int i = 0; i < fillerBytes; i++) {
      out.writeByte(filler(value, i));
    }
    out.flush();
  }

  /**
   * Replaces the state with a snapshot's, which covers the log up to {@code index}.
   *
   * @throws IOException if the bytes are not a snapshot of this state machine
   */
  void restore(long index, InputStream in) throws IOException {
    long restored = readValue(in);
    appliedIndex = index;
    value = restored;
  }

  /**
   * Reads and checks a snapshot's state; returns its value.
   *
   * @throws IOException if the bytes are not a snapshot of this state machine
   */
  static long readValue(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != MAGIC) {
      throw new IOException("not a running-hash snapshot (bad magic)");
    }
    long value = data.readLong();
    int fillerBytes = data.readInt();
    if (fillerBytes < 0 || fillerBytes > MAX_FILLER) {
      throw new IOException("bad filler length " + fillerBytes);
    }
    for (int i = 0; i < fillerBytes; i++) {
      if (data.readByte() != filler(value, i)) {
        throw new IOException("filler byte " + i + " does not match the value");
      }
    }
    if (data.read() != -1) {
      throw new IOException("bytes after the end of the snapshot");
    }
    return value;
  }

  private static byte filler(long value, int i) {
    return (byte) Hashes.mix(value + i);
  }
}
