package io.raftdb.server.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests as clients and people send them, whole or in pieces, and the bytes Redis refuses. */
class RespDecoderTest {
  private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$0\r\n\r\n"
      + "*0\r\n"
      + "PING\r\n"
      + "\r\n"
      + "set \"a b\" 'c\\'d' \"\\x41\\n\"\n"
      + "*2\r\n$3\r\nGET\r\n$3\r\nk\r\n\r\n";
  private static final List<List<String>> COMMANDS = List.of(
      List.of("SET", "k\r\n", ""),
      List.of("PING"),
      List.of("set", "a b", "c'd", "A\n"),
      List.of("GET", "k\r\n"));

  @Test
  void aPipelineDecodesTheSameWholeOrAByteAtATime() {
    assertEquals(COMMANDS, decode(channel(RespLimits.defaults()), bytes(PIPELINE)));
    EmbeddedChannel trickle = channel(RespLimits.defaults());
    List<List<String>> decoded = new ArrayList<>();
    for (byte b : bytes(PIPELINE)) {
      decoded.addAll(decode(trickle, new byte[] {b}));
    }
    assertEquals(COMMANDS, decoded);
  }

  @Test
  void malformedRequestsGetRedissWords() {
    refused("*x\r\n", "Protocol error: invalid multibulk length");
    refused("*2\r\n+GET\r\n", "Protocol error: expected '$', got '+'");
    refused("*1\r\n$-7\r\n", "Protocol error: invalid bulk length");
    refused("*1\r\n$" + "9".repeat(40), "Protocol error: too big bulk count string");
    refused("*" + "1".repeat(40), "Protocol error: too big mbulk count string");
    refused("set \"unbalanced\n", "Protocol error: unbalanced quotes in request");
    refused("set \"a\"b\n", "Protocol error: unbalanced quotes in request");
  }

  @Test
  void declaredLengthsAboveTheLimitsAreRefusedBeforeTheirBytesArrive() {
    RespLimits small = new RespLimits(16, 3, 32);
    EmbeddedChannel ch = channel(small);
    refused(ch, "*1\r\n$17\r\n", "Protocol error: invalid bulk length");
    refused(channel(small), "*4\r\n", "Protocol error: invalid multibulk length");
    refused(channel(small), "x".repeat(33), "Protocol error: too big inline request");
    assertEquals(List.of(List.of("x".repeat(16))),
        decode(channel(small), bytes("*1\r\n$16\r\n" + "x".repeat(16) + "\r\n")));
  }

  @Test
  void anIncompleteRequestWaitsForItsRest() {
    EmbeddedChannel ch = channel(RespLimits.defaults());
    assertEquals(List.of(), decode(ch, bytes("*2\r\n$3\r\nGET\r\n$1\r")));
    assertEquals(List.of(List.of("GET", "k")), decode(ch, bytes("\nk\r\n")));
  }

  private static void refused(String input, String message) {
    refused(channel(RespLimits.defaults()), input, message);
  }

  private static void refused(EmbeddedChannel ch, String input, String message) {
    RespProtocolException e = assertThrows(RespProtocolException.class,
        () -> ch.writeInbound(Unpooled.wrappedBuffer(bytes(input))));
    assertEquals(message, e.getMessage(), input);
  }

  private static EmbeddedChannel channel(RespLimits limits) {
    return new EmbeddedChannel(new RespDecoder(limits));
  }

  private static List<List<String>> decode(EmbeddedChannel ch, byte[] input) {
    ch.writeInbound(Unpooled.wrappedBuffer(input));
    List<List<String>> decoded = new ArrayList<>();
    for (RespCommand c = ch.readInbound(); c != null; c = ch.readInbound()) {
      List<String> args = new ArrayList<>();
      for (int i = 0; i < c.size(); i++) {
        args.add(new String(c.arg(i), StandardCharsets.ISO_8859_1));
      }
      decoded.add(args);
    }
    assertNull(ch.readInbound());
    return decoded;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
