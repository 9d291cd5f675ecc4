package io.raftdb.sim.client;

import io.raftdb.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test state machine that keeps every command it applied, in order: a command applied twice
 * shows up twice. A command's result is the journal's length after it; a query returns the
 * journal, one command per line.
 */
final class JournalMachine implements StateMachine {
  private List<String> journal = new ArrayList<>();

  @Override
  public synchronized byte[] apply(long index, byte[] command) {
    journal.add(new String(command, StandardCharsets.UTF_8));
    return ByteBuffer.allocate(8).putLong(journal.size()).array();
  }

  @Override
  public synchronized byte[] query(byte[] query) {
    return String.join("\n", journal).getBytes(StandardCharsets.UTF_8);
  }

  synchronized List<String> journal() {
    return List.copyOf(journal);
  }

  @Override
  public synchronized SnapshotWriter captureSnapshot() {
    List<String> pinned = List.copyOf(journal);
    return out -> {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(pinned.size());
      for (String s : pinned) {
        data.writeUTF(s);
      }
      data.flush();
    };
  }

  @Override
  public synchronized void restoreSnapshot(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int n = data.readInt();
    List<String> restored = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      restored.add(data.readUTF());
    }
    journal = restored;
  }

  /** Decodes a query's answer. */
  static List<String> lines(byte[] answer) {
    String s = new String(answer, StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }
}
