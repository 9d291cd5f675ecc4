package io.raftdb.core.runtime;

import io.raftdb.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A running total: each command is a delta, a query answers the total, a snapshot is the total
 * (8 bytes). It records every total it is restored from.
 */
final class TotalMachine implements StateMachine {
  private final List<Long> restored = Collections.synchronizedList(new ArrayList<>());
  private long total;

  static byte[] encode(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  static long decode(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    total += decode(command);
    return encode(total);
  }

  @Override
  public byte[] query(byte[] query) {
    return encode(total);
  }

  @Override
  public SnapshotWriter captureSnapshot() {
    long captured = total;
    return out -> new DataOutputStream(out).writeLong(captured);
  }

  @Override
  public void restoreSnapshot(InputStream in) throws IOException {
    long value = new DataInputStream(in).readLong();
    if (in.read() != -1) {
      throw new IOException("a total snapshot is 8 bytes");
    }
    restored.add(value);
    total = value;
  }

  List<Long> restoredTotals() {
    synchronized (restored) {
      return List.copyOf(restored);
    }
  }
}
