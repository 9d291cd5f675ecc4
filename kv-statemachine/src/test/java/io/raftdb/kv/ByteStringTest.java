package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteStringTest {

  private static ByteString bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteString.copyOf(b);
  }

  @Test
  void ordersBytesUnsignedWithPrefixesFirst() {
    List<ByteString> sorted = List.of(ByteString.EMPTY, bytes(0x00), bytes(0x00, 0x00),
        bytes(0x01), bytes(0x7f), bytes(0x7f, 0xff), bytes(0x80), bytes(0xff), bytes(0xff, 0x00));
    List<ByteString> shuffled = new ArrayList<>(sorted);
    Collections.shuffle(shuffled, new java.util.Random(1));
    Collections.sort(shuffled);
    assertEquals(sorted, shuffled);
  }

  @Test
  void hasValueSemanticsAndCopiesOnTheWayInAndOut() {
    byte[] source = {1, 2, 3};
    ByteString s = ByteString.copyOf(source);
    source[0] = 9;
    assertEquals(bytes(1, 2, 3), s);
    assertEquals(bytes(1, 2, 3).hashCode(), s.hashCode());
    assertNotEquals(bytes(1, 2), s);
    byte[] out = s.toByteArray();
    out[1] = 9;
    assertEquals(2, s.byteAt(1));
    assertEquals(bytes(2, 3), ByteString.copyOf(new byte[] {1, 2, 3}, 1, 2));
  }

  @Test
  void concatenatesAndConvertsUtf8() {
    ByteString hello = ByteString.utf8("héllo");
    assertEquals(6, hello.size());
    assertEquals("héllo", hello.toStringUtf8());
    assertEquals(ByteString.utf8("héllo, world"), hello.concat(ByteString.utf8(", world")));
    assertSame(hello, hello.concat(ByteString.EMPTY));
    assertSame(hello, ByteString.EMPTY.concat(hello));
    assertTrue(ByteString.EMPTY.isEmpty());
    assertArrayEquals(new byte[0], ByteString.EMPTY.toByteArray());
  }

  @Test
  void rendersReadablyAndShortly() {
    assertEquals("\"ab\\x00\\xff\\x22\"", bytes('a', 'b', 0, 0xff, '"').toString());
    String longOne = ByteString.copyOf(new byte[1000]).toString();
    assertTrue(longOne.endsWith("...(1000 bytes)"), longOne);
    assertTrue(longOne.length() < 250, longOne);
  }
}
