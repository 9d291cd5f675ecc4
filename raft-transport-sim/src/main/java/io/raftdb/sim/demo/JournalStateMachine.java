package io.raftdb.sim.demo;

import io.raftdb.StateMachine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's replicated service: a journal of the commands applied so far. Each command's result
 * is its position in the journal.
 */
final class JournalStateMachine implements StateMachine {
  private final List<String> journal = new ArrayList<>();
  private volatile List<String> published = List.of();

  @Override
  public byte[] apply(long index, byte[] command) {
    journal.add(new String(command, StandardCharsets.UTF_8));
    published = List.copyOf(journal);
    return ("entry #" + journal.size() + " at log index " + index).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] query(byte[] query) {
    return String.join(";", journal).getBytes(StandardCharsets.UTF_8);
  }

  /** The journal as last applied; safe to read from any thread. */
  List<String> journal() {
    return published;
  }
}
