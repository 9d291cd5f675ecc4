package io.raftdb.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.ClientRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallTableTest {
  private final CallTable table = new CallTable();

  private static ClientCall call() {
    return new ClientCall(ClientRequest.Op.COMMAND, new byte[0], null, null, 0);
  }

  private ClientCall attempting(ClientCall c) {
    c.callId = table.newAttemptId(c);
    return c;
  }

  @Test
  void aReplyFindsTheCallOfItsAttemptOnly() {
    ClientCall a = call();
    table.add(a);
    long first = attempting(a).callId;
    long second = attempting(a).callId;
    assertNotEquals(first, second);
    assertSame(a, table.byAttempt(second));
    assertNull(table.byAttempt(first), "an earlier attempt's reply is stale");
    a.callId = 0; // given up on, as the sweep does
    assertNull(table.byAttempt(second));
  }

  @Test
  void aReusedSlotDoesNotTakeTheRepliesOfItsFormerCall() {
    ClientCall a = call();
    table.add(a);
    long aAttempt = attempting(a).callId;
    table.remove(a);
    ClientCall b = call();
    table.add(b);
    assertEquals(0, b.slot, "the freed slot is reused");
    long bAttempt = attempting(b).callId;
    assertNull(table.byAttempt(aAttempt));
    assertSame(b, table.byAttempt(bAttempt));
  }

  @Test
  void growsAndListsEveryLiveCall() {
    List<ClientCall> calls = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      ClientCall c = call();
      table.add(c);
      assertTrue(ids.add(attempting(c).callId));
      calls.add(c);
    }
    for (int i = 0; i < calls.size(); i += 2) {
      table.remove(calls.get(i));
    }
    Set<ClientCall> listed = Set.of(table.toArray());
    assertEquals(2500, listed.size());
    for (int i = 0; i < calls.size(); i++) {
      ClientCall c = calls.get(i);
      assertEquals(i % 2 == 1, listed.contains(c));
      assertEquals(i % 2 == 1 ? c : null, table.byAttempt(c.callId));
    }
  }

  @Test
  void removingTwiceOrACallNeverAddedChangesNothing() {
    ClientCall a = call();
    table.add(a);
    table.remove(a);
    table.remove(a);
    table.remove(call());
    assertTrue(table.isEmpty());
    ClientCall b = call();
    ClientCall c = call();
    table.add(b);
    table.add(c);
    assertNotEquals(b.slot, c.slot, "a slot freed twice is handed out once");
  }

  @Test
  void aDetachedIdFindsNoCallAndGarbageIdsFindNothing() {
    ClientCall a = call();
    table.add(a);
    attempting(a);
    assertNull(table.byAttempt(table.detachedAttemptId()));
    assertNull(table.byAttempt(0));
    assertNull(table.byAttempt(Long.MAX_VALUE));
    assertNull(table.byAttempt(12345));
  }
}
