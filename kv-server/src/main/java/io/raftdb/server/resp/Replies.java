package io.raftdb.server.resp;

import io.netty.buffer.ByteBuf;
import io.raftdb.kv.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Writes RESP2 replies. */
final class Replies {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);

  private Replies() {}

  static void ok(ByteBuf out) {
    out.writeBytes(OK);
  }

  static void simple(ByteBuf out, String text) {
    out.writeByte('+');
    line(out, text);
  }

  /** An error line; {@code text} starts with its code ({@code ERR …}). */
  static void error(ByteBuf out, String text) {
    out.writeByte('-');
    line(out, text);
  }

  static void integer(ByteBuf out, long n) {
    out.writeByte(':');
    number(out, n);
  }

  static void arrayHeader(ByteBuf out, int n) {
    out.writeByte('*');
    number(out, n);
  }

  static void nullArray(ByteBuf out) {
    out.writeBytes(NULL_ARRAY);
  }

  static void nullBulk(ByteBuf out) {
    out.writeBytes(NULL_BULK);
  }

  static void bulk(ByteBuf out, byte[] bytes) {
    out.writeByte('$');
    number(out, bytes.length);
    out.writeBytes(bytes);
    out.writeBytes(CRLF);
  }

  static void bulk(ByteBuf out, String text) {
    bulk(out, text.getBytes(StandardCharsets.UTF_8));
  }

  static void bulk(ByteBuf out, ByteString bytes) {
    bulk(out, bytes.toByteArray());
  }

  static void bulkOrNull(ByteBuf out, Optional<ByteString> value) {
    if (value.isPresent()) {
      bulk(out, value.get());
    } else {
      nullBulk(out);
    }
  }

  /** Text on one line: a CR or LF inside would end the reply early and split it in two. */
  private static void line(ByteBuf out, String text) {
    out.writeCharSequence(text.replace('\r', ' ').replace('\n', ' '), StandardCharsets.UTF_8);
    out.writeBytes(CRLF);
  }

  private static void number(ByteBuf out, long n) {
    out.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
    out.writeBytes(CRLF);
  }
}
