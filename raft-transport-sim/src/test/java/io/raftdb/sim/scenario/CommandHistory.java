package io.raftdb.sim.scenario;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The commands one {@link RecordingStateMachine} applied, by index: its whole replicated state,
 * and what its snapshots hold (the labs' snapshot is likewise "every command up to the index").
 *
 * <p>Append-only, so that a snapshot can pin the current state in O(1) with {@link #capture()}
 * and serialise it on RaftDB's snapshot thread while the apply thread goes on appending: an
 * append never writes a slot that a captured {@link Prefix} reads (it writes past the prefix, or
 * grows into new arrays and leaves the captured ones alone). This is the "fork point" kind of
 * capture that {@code StateMachine.captureSnapshot} asks for.
 *
 * <p>Serialised form (big-endian): magic {@code "REC1"}, the number of commands, then per command
 * its index and its value, indices strictly increasing from 1.
 *
 * <p>Threading: one writer (the apply thread). A {@link Prefix} is immutable and may be read by
 * any thread it is safely handed to.
 */
final class CommandHistory {
  private static final int MAGIC = 0x52454331; // "REC1"
  /** A bound for a corrupted count; the reader still allocates only as commands arrive. */
  private static final int MAX_COMMANDS = 1 << 24;

  private long[] indices = new long[16];
  private long[] values = new long[16];
  private int size;

  /**
   * Appends a command applied at {@code index}.
   *
   * @throws IllegalArgumentException unless {@code index} is after the last one held
   */
  void append(long index, long value) {
    if (index < 1 || index <= lastIndex()) {
      throw new IllegalArgumentException("command index " + index + " does not follow "
          + lastIndex());
    }
    if (size == indices.length) {
      indices = Arrays.copyOf(indices, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    indices[size] = index;
    values[size] = value;
    size++;
  }

  /** The index of the last command held, or 0. */
  long lastIndex() {
    return size == 0 ? 0 : indices[size - 1];
  }

  /** The state as of now, unaffected by later appends. O(1). */
  Prefix capture() {
    return new Prefix(indices, values, size);
  }

  /**
   * Reads a history in the serialised form, to the end of {@code in}.
   *
   * @throws IOException if the bytes are not exactly one serialised history
   */
  static CommandHistory read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int magic = data.readInt();
    if (magic != MAGIC) {
      throw new IOException(String.format("not a command history: magic 0x%08x", magic));
    }
    int count = data.readInt();
    if (count < 0 || count > MAX_COMMANDS) {
      throw new IOException("command history claims " + count + " commands");
    }
    CommandHistory history = new CommandHistory();
    for (int i = 0; i < count; i++) {
      long index = data.readLong();
      long value = data.readLong();
      if (index < 1 || index <= history.lastIndex()) {
        throw new IOException("command history: index " + index + " after "
            + history.lastIndex());
      }
      history.append(index, value);
    }
    if (data.read() != -1) {
      throw new IOException("command history: trailing bytes after " + count + " commands");
    }
    return history;
  }

  /** An immutable view of the first commands of a history. */
  static final class Prefix {
    private final long[] indices;
    private final long[] values;
    private final int size;

    private Prefix(long[] indices, long[] values, int size) {
      this.indices = indices;
      this.values = values;
      this.size = size;
    }

    /** Writes the serialised form; flushes but does not close {@code out}. */
    void writeTo(OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
      data.writeInt(MAGIC);
      data.writeInt(size);
      for (int i = 0; i < size; i++) {
        data.writeLong(indices[i]);
        data.writeLong(values[i]);
      }
      data.flush();
    }

    /** Index to command value. */
    SortedMap<Long, Long> toMap() {
      SortedMap<Long, Long> map = new TreeMap<>();
      for (int i = 0; i < size; i++) {
        map.put(indices[i], values[i]);
      }
      return Collections.unmodifiableSortedMap(map);
    }
  }
}
