package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftNode;
import io.raftdb.spi.RaftNodeProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CoreRaftNodeProviderTest {

  @Test
  void serviceLoaderFindsTheCoreProvider() {
    List<RaftNodeProvider> providers = ServiceLoader.load(RaftNodeProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertEquals(1, providers.size());
    assertInstanceOf(CoreRaftNodeProvider.class, providers.get(0));
  }

  @Test
  void aDataDirectoryIsRefusedForNowAndTheTransportIsClosed() {
    NodeId id = NodeId.of("n1");
    LoopbackNetwork.LoopbackTransport transport = new LoopbackNetwork().transport(id);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RaftNode.builder().id(id).members(List.of(id))
            .stateMachine(new CounterStateMachine()).transport(transport)
            .dataDirectory(Path.of("unused")).build());
    assertTrue(e.getMessage().contains("dataDirectory"), e.getMessage());
    assertTrue(transport.isClosed());
  }
}
