package io.raftdb.sim.membership;

import io.raftdb.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny key-value service for the membership scenarios: a command {@code key=value} appends
 * {@code value} to {@code key}'s value, a query {@code key} reads it. It takes snapshots, so that
 * new members can catch up from one.
 */
final class AppendMachine implements StateMachine {
  private final Map<String, String> values = new TreeMap<>();

  static byte[] append(String key, String value) {
    return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized byte[] apply(long index, byte[] command) {
    String s = new String(command, StandardCharsets.UTF_8);
    int eq = s.indexOf('=');
    values.merge(s.substring(0, eq), s.substring(eq + 1), String::concat);
    return new byte[0];
  }

  @Override
  public synchronized byte[] query(byte[] query) {
    return values.getOrDefault(new String(query, StandardCharsets.UTF_8), "")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized SnapshotWriter captureSnapshot() {
    Map<String, String> copy = new TreeMap<>(values);
    return out -> {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(copy.size());
      for (Map.Entry<String, String> e : copy.entrySet()) {
        data.writeUTF(e.getKey());
        data.writeUTF(e.getValue());
      }
      data.flush();
    };
  }

  @Override
  public synchronized void restoreSnapshot(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    values.clear();
    for (int i = data.readInt(); i > 0; i--) {
      values.put(data.readUTF(), data.readUTF());
    }
  }
}
