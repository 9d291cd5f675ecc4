package io.raftdb.core.storage.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SnapshotStateOutputTest {

  /** A sink that records whether it was closed. */
  private static final class Sink extends ByteArrayOutputStream {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void mixedWritesReachTheSinkInOrderWithTheirLengthAndChecksum() throws IOException {
    Random random = new Random(8);
    Sink sink = new Sink();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    StateOutput out = new StateOutput(sink, Long.MAX_VALUE);
    for (int i = 0; i < 300; i++) {
      if (i % 3 == 0) {
        int b = random.nextInt(256);
        out.write(b);
        expected.write(b);
      } else {
        // Sizes around the buffer's, so both the buffered and the pass-through paths run.
        byte[] chunk = new byte[random.nextInt(i % 10 == 1 ? 3 * StateOutput.BUFFER_BYTES : 900)];
        random.nextBytes(chunk);
        int offset = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
        out.write(chunk, offset, chunk.length - offset);
        expected.write(chunk, offset, chunk.length - offset);
      }
    }
    out.close();

    assertArrayEquals(expected.toByteArray(), sink.toByteArray());
    assertEquals(expected.size(), out.length());
    CRC32C crc = new CRC32C();
    crc.update(expected.toByteArray());
    assertEquals((int) crc.getValue(), out.checksum());
  }

  @Test
  void closingLeavesTheSinkOpenAndRefusesLaterWrites() throws IOException {
    Sink sink = new Sink();
    StateOutput out = new StateOutput(sink, Long.MAX_VALUE);
    out.write(new byte[] {1, 2, 3});
    out.close();
    out.close();

    assertFalse(sink.closed);
    assertArrayEquals(new byte[] {1, 2, 3}, sink.toByteArray());
    assertThrows(IOException.class, () -> out.write(4));
    assertThrows(IOException.class, () -> out.write(new byte[10]));
  }

  @Test
  void writesBeyondTheLimitAreRefused() throws IOException {
    StateOutput out = new StateOutput(new Sink(), 10);
    out.write(new byte[10]);

    IOException e = assertThrows(IOException.class, () -> out.write(1));
    assertEquals("the state exceeds the limit of 10 bytes of this snapshot store", e.getMessage());
  }
}
