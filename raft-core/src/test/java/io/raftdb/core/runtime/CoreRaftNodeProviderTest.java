package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftNode;
import io.raftdb.spi.RaftNodeProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreRaftNodeProviderTest {

  @Test
  void serviceLoaderFindsTheCoreProvider() {
    List<RaftNodeProvider> providers = ServiceLoader.load(RaftNodeProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertEquals(1, providers.size());
    assertInstanceOf(CoreRaftNodeProvider.class, providers.get(0));
  }

  @Test
  void aFailedStartClosesTheTransport(@TempDir Path dir) throws Exception {
    NodeId id = NodeId.of("n1");
    Files.writeString(dir.resolve("blocked"), "a file where the data directory should be");
    LoopbackNetwork.LoopbackTransport transport = new LoopbackNetwork().transport(id);
    assertThrows(RuntimeException.class,
        () -> RaftNode.builder().id(id).members(List.of(id))
            .stateMachine(new CounterStateMachine()).transport(transport)
            .dataDirectory(dir.resolve("blocked")).build());
    assertTrue(transport.isClosed());
  }
}
