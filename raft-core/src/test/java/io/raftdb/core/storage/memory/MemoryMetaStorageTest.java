package io.raftdb.core.storage.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.NodeId;
import io.raftdb.storage.HardState;
import org.junit.jupiter.api.Test;

/** {@link MemoryMetaStorage}: saves are durable at once and survive into the durable copy. */
class MemoryMetaStorageTest {

  @Test
  void aNewStoreHoldsTheInitialState() {
    assertEquals(HardState.INITIAL, new MemoryMetaStorage().load());
  }

  @Test
  void aSaveIsDurableAtOnceAndSurvivesClose() {
    MemoryMetaStorage store = new MemoryMetaStorage();
    HardState voted = new HardState(3, NodeId.of("n2"));
    store.save(voted);
    assertEquals(voted, store.load());
    store.close();
    assertThrows(IllegalStateException.class, store::load);
    MemoryMetaStorage restarted = store.durableCopy();
    assertEquals(voted, restarted.load());
    restarted.save(new HardState(4, null));
    assertEquals(voted, store.durableCopy().load(), "copies are independent");
  }
}
