package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MessageCodecPropertyTest {
  private static final int SEEDS = 300;
  private static final int MESSAGES_PER_SEED = 20;

  @Test
  void randomMessagesRoundTripExactly() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      RandomMessages random = new RandomMessages(seed);
      for (int i = 0; i < MESSAGES_PER_SEED; i++) {
        RaftMessage message = random.message();
        byte[] frame = MessageCodec.encode(message);
        RaftMessage decoded = MessageCodec.decode(frame);
        assertEquals(message, decoded, "seed " + seed + " message " + i);
        assertArrayEquals(frame, MessageCodec.encode(decoded), "seed " + seed + " message " + i);
      }
    }
  }

  @Test
  void randomMessagesLaidEndToEndDecodeOneAtATime() {
    for (long seed = 1; seed <= SEEDS / 10; seed++) {
      RandomMessages random = new RandomMessages(seed);
      List<RaftMessage> messages = new ArrayList<>();
      int total = 0;
      for (int i = 0; i < MESSAGES_PER_SEED; i++) {
        RaftMessage message = random.message();
        messages.add(message);
        total += MessageCodec.encode(message).length;
      }
      ByteBuffer stream = ByteBuffer.allocate(total);
      messages.forEach(m -> stream.put(MessageCodec.encode(m)));
      stream.flip();

      for (RaftMessage expected : messages) {
        assertEquals(expected, MessageCodec.decode(stream), "seed " + seed);
      }
      assertEquals(0, stream.remaining(), "seed " + seed);
    }
  }
}
