package io.raftdb.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a connection's bytes into {@link RespCommand}s: RESP arrays of bulk strings, as clients
 * send, and inline commands (a line of words, with Redis's quoting), as people type. A request
 * split across reads waits for its rest; every declared length is checked against the
 * {@link RespLimits} before its bytes are awaited. Bytes that are no request fail with a
 * {@link RespProtocolException} carrying Redis's words; the connection then answers and closes.
 *
 * <p>A request's arguments are kept as they arrive, so each byte is parsed once however the
 * request is split (one that trickles in a byte at a time costs no more than one sent whole).
 */
public final class RespDecoder extends ByteToMessageDecoder {
  /** The longest header line ({@code *n} or {@code $n}) worth waiting for. */
  private static final int MAX_HEADER_BYTES = 32;
  private static final RespCommand EMPTY = new RespCommand(List.of());

  private final RespLimits limits;
  /** The arguments read so far of a request not yet complete, or null between requests. */
  private List<byte[]> partial;
  private long expected;

  /** A decoder that enforces {@code limits}. */
  public RespDecoder(RespLimits limits) {
    this.limits = limits;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      if (partial == null) {
        int start = in.readerIndex();
        if (in.getByte(start) != '*') {
          RespCommand command = inline(in);
          if (command == null) {
            return; // incomplete: wait for more
          }
          if (command != EMPTY) {
            out.add(command);
          }
          continue;
        }
        in.skipBytes(1);
        Long count = header(in, "mbulk");
        if (count == null) {
          in.readerIndex(start);
          return;
        }
        if (count <= 0) {
          continue; // *0 and *-1: nothing to do, as Redis
        }
        if (count > limits.maxArguments()) {
          throw new RespProtocolException("Protocol error: invalid multibulk length");
        }
        partial = new ArrayList<>((int) Math.min(count, 64));
        expected = count;
      }
      if (!readArguments(in)) {
        return;
      }
      out.add(new RespCommand(partial));
      partial = null;
    }
  }

  /**
   * Reads the request's arguments that have arrived, each once (a request trickling in byte by
   * byte is not parsed again from its start each time); true once all have.
   */
  private boolean readArguments(ByteBuf in) {
    while (partial.size() < expected) {
      int start = in.readerIndex();
      if (!in.isReadable()) {
        return false;
      }
      byte type = in.readByte();
      if (type != '$') {
        throw new RespProtocolException("Protocol error: expected '$', got '"
            + (char) (type & 0xFF) + "'");
      }
      Long length = header(in, "bulk");
      if (length == null) {
        in.readerIndex(start);
        return false;
      }
      if (length < 0 || length > limits.maxBulkBytes()) {
        throw new RespProtocolException("Protocol error: invalid bulk length");
      }
      if (in.readableBytes() < length + 2) {
        in.readerIndex(start);
        return false;
      }
      byte[] arg = new byte[(int) (long) length];
      in.readBytes(arg);
      in.skipBytes(2); // the CRLF after the bytes
      partial.add(arg);
    }
    return true;
  }

  /** The number on a header line, or null if the line has not all arrived. */
  private static Long header(ByteBuf in, String kind) {
    int end = in.indexOf(in.readerIndex(), Math.min(in.writerIndex(),
        in.readerIndex() + MAX_HEADER_BYTES), (byte) '\r');
    if (end < 0) {
      if (in.readableBytes() >= MAX_HEADER_BYTES) {
        throw new RespProtocolException("Protocol error: too big " + kind + " count string");
      }
      return null;
    }
    if (end + 1 >= in.writerIndex()) {
      return null; // the \n is still to come
    }
    String digits = in.toString(in.readerIndex(), end - in.readerIndex(),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    in.readerIndex(end + 2);
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new RespProtocolException("Protocol error: invalid "
          + (kind.equals("mbulk") ? "multibulk" : kind) + " length"); // Redis's words
    }
  }

  private RespCommand inline(ByteBuf in) {
    int searched = Math.min(in.readableBytes(), limits.maxInlineBytes() + 2);
    int newline = in.indexOf(in.readerIndex(), in.readerIndex() + searched, (byte) '\n');
    if (newline < 0) {
      if (in.readableBytes() > limits.maxInlineBytes()) {
        throw new RespProtocolException("Protocol error: too big inline request");
      }
      return null;
    }
    int length = newline - in.readerIndex();
    byte[] line = new byte[length > 0 && in.getByte(newline - 1) == '\r' ? length - 1 : length];
    in.getBytes(in.readerIndex(), line);
    in.readerIndex(newline + 1);
    List<byte[]> words = InlineSplitter.split(line);
    if (words == null) {
      throw new RespProtocolException("Protocol error: unbalanced quotes in request");
    }
    return words.isEmpty() ? EMPTY : new RespCommand(words);
  }

  /** Redis's splitting of an inline request into words. */
  static final class InlineSplitter {
    private InlineSplitter() {}

    /** The words of {@code line}, or null if its quotes do not balance. */
    static List<byte[]> split(byte[] line) {
      List<byte[]> words = new ArrayList<>();
      int i = 0;
      while (true) {
        while (i < line.length && Character.isWhitespace(line[i])) {
          i++;
        }
        if (i == line.length) {
          return words;
        }
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        byte quote = line[i] == '"' || line[i] == '\'' ? line[i++] : 0;
        while (true) {
          if (i == line.length) {
            if (quote != 0) {
              return null; // the closing quote is missing
            }
            break;
          }
          byte c = line[i];
          if (quote == 0) {
            if (Character.isWhitespace(c)) {
              break;
            }
            word.write(c);
            i++;
          } else if (c == quote) {
            i++;
            if (i < line.length && !Character.isWhitespace(line[i])) {
              return null; // a closing quote must end the word
            }
            break;
          } else if (c == '\\' && i + 1 < line.length) {
            i += escape(line, i, quote, word);
          } else {
            word.write(c);
            i++;
          }
        }
        words.add(word.toByteArray());
      }
    }

    /** Writes the escape at {@code i}; how many bytes it took. */
    private static int escape(byte[] line, int i, byte quote, ByteArrayOutputStream word) {
      byte next = line[i + 1];
      if (quote == '\'') {
        word.write(next == '\'' ? '\'' : '\\');
        return next == '\'' ? 2 : 1;
      }
      if (next == 'x' && i + 3 < line.length && hex(line[i + 2]) >= 0 && hex(line[i + 3]) >= 0) {
        word.write(hex(line[i + 2]) << 4 | hex(line[i + 3]));
        return 4;
      }
      word.write(switch (next) {
        case 'n' -> '\n';
        case 'r' -> '\r';
        case 't' -> '\t';
        case 'b' -> '\b';
        case 'a' -> 7;
        default -> next;
      });
      return 2;
    }

    private static int hex(byte c) {
      return Character.digit(c, 16);
    }
  }
}
