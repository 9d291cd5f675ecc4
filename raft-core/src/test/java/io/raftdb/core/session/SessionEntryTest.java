package io.raftdb.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.message.CommandBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session entry format: exact sizes, every operation round trip, malformed input refused. */
class SessionEntryTest {
  private static final long[] EDGES = {0, 1, 127, 128, 16_383, 16_384, (1L << 35) - 1, 1L << 35,
      Long.MAX_VALUE};

  @Test
  void aVarintTakesTheBytesItsSizeSays() {
    for (long v : EDGES) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      Varints.write(stream, v);
      byte[] array = new byte[12];
      assertEquals(1 + stream.size(), Varints.write(array, 1, v), "end of " + v);
      assertEquals(stream.size(), Varints.size(v), "size of " + v);
      assertArrayEquals(stream.toByteArray(), Arrays.copyOfRange(array, 1, 1 + stream.size()));
      assertEquals(v, Varints.read(ByteBuffer.wrap(stream.toByteArray())));
    }
  }

  @Test
  void everyOperationRoundTripsInAnArrayOfExactlyItsSize() {
    for (long v : EDGES) {
      long positive = Math.max(v, 1);
      List<SessionEntry> entries = List.of(
          SessionEntry.register(v, positive, Integer.MAX_VALUE),
          SessionEntry.command(v, positive, positive, positive, new byte[] {1, 2, 3}),
          SessionEntry.command(v, positive, positive, 0, new byte[0]),
          SessionEntry.commands(v, positive, positive, positive,
              CommandBatch.encodeCommands(List.of(new byte[] {1}, new byte[] {2, 3}))),
          SessionEntry.keepAlive(v, positive, v),
          SessionEntry.close(v, positive));
      for (SessionEntry e : entries) {
        byte[] bytes = e.encode();
        SessionEntry back = SessionEntry.decode(bytes);
        assertEquals(e.op(), back.op());
        assertEquals(e.leaderTimeMillis(), back.leaderTimeMillis());
        assertEquals(e.sessionId(), back.sessionId());
        assertEquals(e.sequence(), back.sequence());
        assertEquals(e.ackedBelow(), back.ackedBelow());
        assertEquals(e.timeoutMillis(), back.timeoutMillis());
        assertEquals(e.maxSessions(), back.maxSessions());
        assertArrayEquals(e.command(), back.command());
      }
    }
  }

  @Test
  void malformedBytesAreRefused() {
    byte[] good = SessionEntry.command(5, 1, 2, 1, new byte[] {9}).encode();
    assertThrows(IllegalArgumentException.class, () -> SessionEntry.decode(new byte[0]));
    assertThrows(IllegalArgumentException.class,
        () -> SessionEntry.decode(new byte[] {2, good[1]}), "another version");
    assertThrows(IllegalArgumentException.class,
        () -> SessionEntry.decode(new byte[] {1, 99, 0}), "an unknown operation");
    assertThrows(IllegalArgumentException.class,
        () -> SessionEntry.decode(Arrays.copyOf(SessionEntry.keepAlive(5, 1, 0).encode(), 3)),
        "truncated");
    assertThrows(IllegalArgumentException.class,
        () -> SessionEntry.decode(SessionEntry.command(5, 1, 2, 3, new byte[0]).encode()),
        "acknowledged past its own sequence");
  }
}
