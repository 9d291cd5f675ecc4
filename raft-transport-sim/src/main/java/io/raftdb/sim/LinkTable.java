package io.raftdb.sim;

import io.raftdb.NodeId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which ordered links (from, to) of a {@link SimNetwork} are enabled, and which nodes are marked
 * connected.
 *
 * <p>Copy-on-write: every sender reads one immutable snapshot through a volatile field without a
 * lock, so the per-message check costs a map lookup; changes (rare, made by tests) are serialised
 * by the monitor and publish a new snapshot.
 *
 * <p>A link not mentioned anywhere is enabled, so a fresh network is fully connected. A node the
 * table has never seen joins as if {@code connect(node)} had been called: linked to every node
 * marked connected, cut off from every node marked disconnected (labrpc creates ends disabled and
 * the harness enables exactly those).
 */
final class LinkTable {

  /** One immutable state; {@code blocked} maps a sender to the receivers it cannot reach. */
  private record Snapshot(Set<NodeId> known, Set<NodeId> disconnected,
      Map<NodeId, Set<NodeId>> blocked) {}

  private volatile Snapshot current = new Snapshot(Set.of(), Set.of(), Map.of());

  /** Whether a message from {@code from} to {@code to} may pass right now. Lock-free. */
  boolean allows(NodeId from, NodeId to) {
    Set<NodeId> cut = current.blocked().get(from);
    return cut == null || !cut.contains(to);
  }

  /** Whether the node is marked connected (true for a node never disconnected). */
  boolean isConnected(NodeId node) {
    return !current.disconnected().contains(node);
  }

  void addNode(NodeId node) {
    if (!current.known().contains(node)) {
      edit(e -> e.addNode(node));
    }
  }

  void setLink(NodeId from, NodeId to, boolean enabled) {
    edit(e -> e.setLink(from, to, enabled));
  }

  void disconnect(NodeId node) {
    edit(e -> e.disconnect(node));
  }

  void connect(NodeId node) {
    edit(e -> e.connect(node));
  }

  void partition(Set<NodeId> a, Set<NodeId> b) {
    edit(e -> e.partition(a, b));
  }

  void connectAll() {
    edit(Editor::connectAll);
  }

  private synchronized void edit(Consumer<Editor> change) {
    Editor editor = new Editor(current);
    change.accept(editor);
    current = editor.freeze();
  }

  /** A mutable working copy of a snapshot; lives only inside {@link #edit}. */
  private static final class Editor {
    private final Set<NodeId> known;
    private final Set<NodeId> disconnected;
    private final Map<NodeId, Set<NodeId>> blocked = new HashMap<>();

    Editor(Snapshot from) {
      known = new HashSet<>(from.known());
      disconnected = new HashSet<>(from.disconnected());
      from.blocked().forEach((sender, receivers) -> blocked.put(sender, new HashSet<>(receivers)));
    }

    void addNode(NodeId node) {
      if (known.add(node)) {
        for (NodeId other : disconnected) {
          cutBoth(node, other);
        }
      }
    }

    void setLink(NodeId from, NodeId to, boolean enabled) {
      addNode(from);
      addNode(to);
      if (enabled) {
        join(from, to);
      } else {
        cut(from, to);
      }
    }

    void disconnect(NodeId node) {
      addNode(node);
      disconnected.add(node);
      for (NodeId other : known) {
        if (!other.equals(node)) {
          cutBoth(node, other);
        }
      }
    }

    void connect(NodeId node) {
      addNode(node);
      disconnected.remove(node);
      for (NodeId other : known) {
        if (!other.equals(node) && !disconnected.contains(other)) {
          joinBoth(node, other);
        }
      }
    }

    void partition(Set<NodeId> a, Set<NodeId> b) {
      for (NodeId node : a) {
        if (b.contains(node)) {
          throw new IllegalArgumentException(
              "node " + node + " is in both groups of the partition");
        }
      }
      for (Set<NodeId> group : List.of(a, b)) {
        for (NodeId node : group) {
          addNode(node);
          disconnected.remove(node);
        }
      }
      for (NodeId x : a) {
        for (NodeId y : a) {
          joinBoth(x, y);
        }
        for (NodeId y : b) {
          cutBoth(x, y);
        }
      }
      for (NodeId x : b) {
        for (NodeId y : b) {
          joinBoth(x, y);
        }
      }
    }

    void connectAll() {
      disconnected.clear();
      blocked.clear();
    }

    private void cutBoth(NodeId x, NodeId y) {
      cut(x, y);
      cut(y, x);
    }

    private void joinBoth(NodeId x, NodeId y) {
      join(x, y);
      join(y, x);
    }

    private void cut(NodeId from, NodeId to) {
      blocked.computeIfAbsent(from, k -> new HashSet<>()).add(to);
    }

    private void join(NodeId from, NodeId to) {
      Set<NodeId> receivers = blocked.get(from);
      if (receivers != null) {
        receivers.remove(to);
      }
    }

    Snapshot freeze() {
      Map<NodeId, Set<NodeId>> frozen = new HashMap<>();
      blocked.forEach((sender, receivers) -> {
        if (!receivers.isEmpty()) {
          frozen.put(sender, Set.copyOf(receivers));
        }
      });
      return new Snapshot(Set.copyOf(known), Set.copyOf(disconnected), Map.copyOf(frozen));
    }
  }
}
