package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged and random bytes never escape as anything but a {@link CodecException}: no
 * IndexOutOfBounds, NegativeArraySize, OutOfMemoryError or hang.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MessageCodecFuzzTest {
  private static final NodeId FROM = NodeId.of("node-1");

  static Stream<byte[]> sampleFrames() {
    return Stream.of(
        new RequestVote(1, FROM, 5, 100, 4, true, false),
        new RequestVoteResponse(1, FROM, 5, true, true),
        new AppendEntries(1, FROM, 5, 99, 4, 97, 12, List.of(
            LogEntry.command(100, 5, new byte[] {1, 2, 3, 4, 5}),
            LogEntry.noOp(101, 5),
            LogEntry.command(102, 5, new byte[0]))),
        new AppendEntries(1, FROM, 5, 99, 4, 97, 13, List.of()),
        new AppendEntriesResponse(1, FROM, 5, false, 80, 3, 70, 12),
        new TimeoutNow(1, FROM, 5),
        new InstallSnapshot(1, FROM, 5, 1_000, 4, 4096, new byte[] {1, 2, 3, 4, 5, 6, 7}, false),
        new InstallSnapshot(1, FROM, 5, 1_000, 4, 8192, new byte[0], true),
        new InstallSnapshotResponse(1, FROM, 5, 1_000, 4103, false),
        new InstallSnapshotResponse(1, FROM, 5, 1_000, 8192, true))
        .map(MessageCodec::encode);
  }

  @ParameterizedTest
  @MethodSource("sampleFrames")
  void everyTruncationIsRejected(byte[] frame) {
    for (int length = 0; length < frame.length; length++) {
      byte[] truncated = Arrays.copyOf(frame, length);
      assertThrows(CodecException.class, () -> MessageCodec.decode(truncated),
          "truncated to " + length);
      ByteBuffer buf = ByteBuffer.wrap(truncated);
      assertThrows(CodecException.class, () -> MessageCodec.decode(buf), "truncated to " + length);
      assertEquals(0, buf.position(), "a failed decode leaves the position where it was");
    }
  }

  @ParameterizedTest
  @MethodSource("sampleFrames")
  void everySingleBitFlipIsRejected(byte[] frame) {
    for (int bit = 0; bit < frame.length * 8; bit++) {
      byte[] damaged = frame.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(CodecException.class, () -> MessageCodec.decode(damaged), "bit " + bit);
      assertThrows(CodecException.class, () -> MessageCodec.decode(ByteBuffer.wrap(damaged)),
          "bit " + bit);
    }
  }

  @Test
  void randomByteArraysGiveOnlyCodecExceptions() {
    Random random = new Random(20240601);
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      if (i % 2 == 0 && bytes.length > 6) {
        // Get past the first checks half of the time: right format, plausible type and length.
        bytes[0] = MessageCodec.FORMAT;
        bytes[1] = (byte) (1 + random.nextInt(MessageBodies.TYPE_INSTALL_SNAPSHOT_RESPONSE + 1));
        ByteBuffer.wrap(bytes, 2, 4).putInt(random.nextInt(bytes.length));
      }
      decodeExpectingOnlyCodecException(bytes, "random array " + i);
    }
  }

  /**
   * Random and mutated bodies in frames with a correct checksum reach the body parser itself:
   * anything it accepts must be a valid message that re-encodes to the very same bytes.
   */
  @Test
  void randomBodiesBehindAValidChecksumGiveOnlyCodecExceptionsOrCanonicalMessages() {
    Random random = new Random(77);
    List<byte[]> validFrames = sampleFrames().toList();
    int decoded = 0;
    for (int i = 0; i < 10_000; i++) {
      byte[] body;
      int type;
      if (i % 2 == 0) {
        body = new byte[random.nextInt(80)];
        random.nextBytes(body);
        type = 1 + random.nextInt(MessageBodies.TYPE_INSTALL_SNAPSHOT_RESPONSE);
      } else {
        byte[] valid = validFrames.get(random.nextInt(validFrames.size()));
        body = Arrays.copyOfRange(valid, MessageCodec.HEADER_BYTES,
            valid.length - Checksums.CRC_BYTES);
        type = valid[1];
        for (int m = 1 + random.nextInt(3); m > 0 && body.length > 0; m--) {
          body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        }
      }
      if (decodeExpectingOnlyCodecException(RawBytes.frame(type, body), "body " + i)) {
        decoded++;
      }
    }
    // Mutations of valid bodies often still decode (a changed term is still a term), which
    // shows that the canonical re-encoding check above was exercised.
    if (decoded == 0) {
      fail("no mutated body decoded; the test no longer reaches the success path");
    }
  }

  /** Returns whether the bytes decoded; fails on any exception other than CodecException. */
  private static boolean decodeExpectingOnlyCodecException(byte[] bytes, String what) {
    RaftMessage message;
    try {
      message = MessageCodec.decode(bytes);
    } catch (CodecException expected) {
      return false;
    } catch (RuntimeException | Error e) {
      throw new AssertionError(what + " " + RawBytes.hex(bytes) + " threw " + e, e);
    }
    assertArrayEquals(bytes, MessageCodec.encode(message),
        what + " decoded to " + message + " which re-encodes differently");
    return true;
  }
}
