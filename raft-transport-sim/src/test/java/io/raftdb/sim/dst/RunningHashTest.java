package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.StateMachine;
import io.raftdb.message.LogEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunningHashTest {

  private static LogEntry entry(long index) {
    return LogEntry.command(index, 1, ("c" + index).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] write(StateMachine.SnapshotWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void aSnapshotRestoresTheStateItWasTakenFromEvenIfWrittenLater() throws IOException {
    RunningHash original = new RunningHash();
    original.apply(entry(1));
    original.apply(entry(2));
    long atTwo = original.value();
    StateMachine.SnapshotWriter writer = original.capture(3_000);
    original.apply(entry(3)); // applying goes on while the snapshot is being written
    byte[] bytes = write(writer);
    assertEquals(RunningHash.FIXED_BYTES + 3_000, bytes.length);

    RunningHash restored = new RunningHash();
    restored.restore(2, new ByteArrayInputStream(bytes));
    assertEquals(atTwo, restored.value());
    assertEquals(2, restored.appliedIndex());
    restored.apply(entry(3));
    assertEquals(original.value(), restored.value());
  }

  @Test
  void anUnpinnedCaptureWritesALaterState() throws IOException {
    RunningHash state = new RunningHash();
    state.apply(entry(1));
    long atOne = state.value();
    StateMachine.SnapshotWriter writer = state.captureUnpinned(0);
    state.apply(entry(2));
    assertNotEquals(atOne, RunningHash.readValue(new ByteArrayInputStream(write(writer))));
  }

  @Test
  void bytesThatAreNotASnapshotOfItAreRefused() throws IOException {
    RunningHash state = new RunningHash();
    state.apply(entry(1));
    byte[] bytes = write(state.capture(100));
    byte[] flipped = bytes.clone();
    flipped[RunningHash.FIXED_BYTES + 50] ^= 1;
    assertThrows(IOException.class, () -> RunningHash.readValue(new ByteArrayInputStream(flipped)));
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IOException.class, () -> RunningHash.readValue(new ByteArrayInputStream(longer)));
    byte[] shorter = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThrows(IOException.class, () -> RunningHash.readValue(new ByteArrayInputStream(shorter)));
    byte[] hugeFiller = bytes.clone();
    hugeFiller[12] = 0x7f;
    assertThrows(IOException.class,
        () -> RunningHash.readValue(new ByteArrayInputStream(hugeFiller)));
  }
}
