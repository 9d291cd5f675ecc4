package io.raftdb.sim;

import io.raftdb.NodeId;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.transport.MessageHandler;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory network between the nodes of a test cluster, with the fault injection and the
 * counters of the MIT 6.824 {@code labrpc} package, adapted to RaftDB's one-way messages. A
 * <em>request</em> is a message whose {@link RaftMessage#isRequest()} is true; every other message
 * is a <em>reply</em> and plays the part of labrpc's reply leg.
 *
 * <h2>Nodes and incarnations</h2>
 * A node gets an endpoint with {@link #transport(NodeId)}. Starting the transport registers the
 * node's current incarnation; closing it unregisters it (the node crashed). A message is captured
 * with the incarnations of its sender and receiver when it is sent. As with labrpc's
 * {@code DeleteServer}, nothing in flight to a crashed incarnation is delivered, and neither is a
 * reply from one (labrpc turns the reply of a killed server into a failure); a restarted node
 * never sees messages meant for its previous life. A request already in flight from a node that
 * crashed meanwhile still arrives, as a labrpc call under way still reaches its server. A message
 * to a node with no registered incarnation is dropped.
 *
 * <h2>Links</h2>
 * Every ordered pair (from, to) is a link that is enabled or disabled; a message is dropped if its
 * link is disabled when it is sent. As labrpc checks a link only when a call starts, a message
 * held back is delivered even if its link was cut meanwhile: an isolated ex-leader still receives
 * the stale replies of its earlier calls. {@link #setLink} sets one link.
 * {@link #disconnect} and {@link #connect} follow the Raft harness: a disconnected node is fully
 * isolated (from and to everybody, other disconnected nodes included), and connecting it enables
 * its links to every node that is marked connected. {@link #partition} follows the KV harness.
 * A fresh network is fully connected, and a node first seen later joins as if connected with
 * {@link #connect}.
 *
 * <h2>Faults</h2>
 * <ul>
 *   <li>{@link #setCallReordering setCallReordering(true)} (the Raft harness turns it on): on a
 *       reliable network 1 in 10 messages is held back 1 ms, so that messages sent back to back
 *       can arrive out of order, as labrpc's calls can (each runs on its own goroutine).
 *   <li>{@link #setReliable setReliable(false)}: every message is held back a uniform 0-26 ms,
 *       then 10% of requests and 10% of replies are dropped (about 19% of request/reply round
 *       trips fail, as in labrpc).
 *   <li>{@link #setLongReordering setLongReordering(true)}: 2/3 of the replies that survive are
 *       held back a further 200 ms + uniform(0, uniform(0..1999)) ms, i.e. 200-2199 ms with a mean
 *       near 700 ms. Independent of the reliable flag; requests are never reordered.
 *   <li>{@link #setLongDelays}: kept so that tests read like the labs, but it changes nothing
 *       here. In labrpc it sets how long a caller blocked in {@code Call} waits before learning
 *       that a disconnected server will not answer (0-7 s instead of 0-100 ms), to punish a leader
 *       that sends RPCs synchronously. One-way messages have no caller waiting: a message to a
 *       disconnected node is dropped at once and the sender learns of it only by its own timers.
 * </ul>
 * All fault decisions are drawn, in send order, from one random source seeded by the constructor,
 * so a single-threaded run is reproducible from {@link #seed()}.
 *
 * <h2>Copies and counters</h2>
 * Every message is encoded with {@link MessageCodec} when sent and the decoded copy is delivered,
 * so nodes never share an object. The counters follow labrpc: {@link #messageTotal()} and
 * {@link #rpcTotal()} count every message (request) sent into the network, including those
 * dropped later; {@link #rpcCount(NodeId)} counts requests actually handed to that node's handler;
 * {@link #bytesTotal()} adds the encoded size of every request sent and of every reply delivered.
 *
 * <h2>Delivery and threading</h2>
 * All methods are thread-safe. A message that is not held back is delivered synchronously on the
 * sender's thread, which keeps the zero-fault path free of locks, queues and thread hand-offs.
 * Held-back messages are delivered by the network's single scheduler thread (a daemon named
 * {@code raftdb-sim-<name>-delivery}, started only when first needed). A handler may therefore be
 * called from several threads at once, also for one node; RaftDB's handlers only put the message on
 * the node's multi-producer queue, which is safe. A handler must not block, and it must not count
 * on a node being closed the instant {@link SimTransport#close()} returns: a delivery that already
 * passed its checks may still arrive. A handler that throws is logged and does not affect the
 * sender.
 *
 * <p>{@link #close()} stops the scheduler thread and drops everything in flight; later sends are
 * ignored.
 */
public final class SimNetwork implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimNetwork.class);

  /** Networks shared by name within this process, see {@link #named(String)}. */
  private static final ConcurrentHashMap<String, SimNetwork> NAMED = new ConcurrentHashMap<>();

  private final long seed;
  private final String name;
  private final LinkTable links = new LinkTable();
  private final FaultInjector faults;
  private final DeliveryScheduler scheduler;
  private final ConcurrentHashMap<NodeId, NodeSlot> nodes = new ConcurrentHashMap<>();
  private final LongAdder messages = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private volatile boolean longDelays;
  private volatile boolean closed;

  /** A reliable, fully connected network whose fault decisions are drawn from {@code seed}. */
  public SimNetwork(long seed) {
    this(seed, "net-" + Long.toHexString(seed));
  }

  /** A reliable, fully connected network with a random seed, readable from {@link #seed()}. */
  public SimNetwork() {
    this(ThreadLocalRandom.current().nextLong());
  }

  private SimNetwork(long seed, String name) {
    this.seed = seed;
    this.name = name;
    this.faults = new FaultInjector(seed);
    this.scheduler = new DeliveryScheduler("raftdb-sim-" + name + "-delivery");
    LOG.debug("simulated network {} created with seed {}", name, seed);
  }

  /**
   * The network shared by every caller that uses {@code name} in this process, created (with a
   * random seed) on first use or when the previous one of that name was closed. This is how
   * {@link SimTransportFactory} joins nodes that were configured only with addresses.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public static SimNetwork named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("network name must not be blank");
    }
    return NAMED.compute(name, (key, existing) -> existing != null && !existing.closed
        ? existing
        : new SimNetwork(ThreadLocalRandom.current().nextLong(), key));
  }

  /** The seed of every fault decision. */
  public long seed() {
    return seed;
  }

  /**
   * Makes a (not yet started) endpoint for {@code self}. The node joins the link table as
   * connected unless a test disconnected it before.
   *
   * @throws IllegalStateException if the network is closed
   */
  public SimTransport transport(NodeId self) {
    Objects.requireNonNull(self, "self");
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    nodes.computeIfAbsent(self, id -> new NodeSlot());
    links.addNode(self);
    return new SimTransport(this, self);
  }

  // ---------------------------------------------------------------- links

  /** Enables or disables the one link from {@code from} to {@code to}. */
  public void setLink(NodeId from, NodeId to, boolean enabled) {
    links.setLink(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"), enabled);
  }

  /** Whether a message from {@code from} to {@code to} would pass the link check now. */
  public boolean isLinkEnabled(NodeId from, NodeId to) {
    return links.allows(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
  }

  /** Isolates {@code node} in both directions from every node, and marks it disconnected. */
  public void disconnect(NodeId node) {
    links.disconnect(Objects.requireNonNull(node, "node"));
  }

  /**
   * Marks {@code node} connected and enables its links, both ways, to every node marked
   * connected. Links to nodes still marked disconnected stay as they are.
   */
  public void connect(NodeId node) {
    links.connect(Objects.requireNonNull(node, "node"));
  }

  /** Whether {@code node} is marked connected (true for a node never disconnected). */
  public boolean isConnected(NodeId node) {
    return links.isConnected(Objects.requireNonNull(node, "node"));
  }

  /**
   * Makes each group fully connected inside itself and cut off, both ways, from the other; marks
   * all their members connected. Links of nodes in neither group are left as they are.
   *
   * @throws IllegalArgumentException if a node is in both groups
   */
  public void partition(Set<NodeId> a, Set<NodeId> b) {
    links.partition(Set.copyOf(a), Set.copyOf(b));
  }

  /** Marks every node connected and enables every link. */
  public void connectAll() {
    links.connectAll();
  }

  // ---------------------------------------------------------------- faults

  /** Turns message loss and short random delays off ({@code true}) or on ({@code false}). */
  public void setReliable(boolean reliable) {
    faults.setReliable(reliable);
  }

  /** Whether the network is reliable (the default). */
  public boolean isReliable() {
    return faults.reliable();
  }

  /** Turns long holding back of 2/3 of the replies on or off (off by default). */
  public void setLongReordering(boolean longReordering) {
    faults.setLongReordering(longReordering);
  }

  /** Whether long reordering is on. */
  public boolean isLongReordering() {
    return faults.longReordering();
  }

  /**
   * Turns the reordering of calls on a reliable network on or off (off by default): 1 in 10
   * messages held back 1 ms, as labrpc's calls, each on its own goroutine, can overtake each other.
   */
  public void setCallReordering(boolean callReordering) {
    faults.setCallReordering(callReordering);
  }

  /** Whether calls are reordered on a reliable network. */
  public boolean isCallReordering() {
    return faults.callReordering();
  }

  /**
   * Recorded only, for fidelity with the labs' harness; it changes no delivery (see the class
   * comment: with one-way messages nobody waits on a message to a disconnected node).
   */
  public void setLongDelays(boolean longDelays) {
    this.longDelays = longDelays;
  }

  /** The value last given to {@link #setLongDelays}. */
  public boolean isLongDelays() {
    return longDelays;
  }

  // ---------------------------------------------------------------- counters

  /** Every message sent into the network, requests and replies, delivered or not. */
  public long messageTotal() {
    return messages.sum();
  }

  /** Every request sent into the network, delivered or not (labrpc's total RPC count). */
  public long rpcTotal() {
    return requests.sum();
  }

  /**
   * Requests handed to {@code node}'s handler, over all its incarnations (labrpc's per-server
   * count).
   */
  public long rpcCount(NodeId node) {
    NodeSlot slot = nodes.get(Objects.requireNonNull(node, "node"));
    return slot == null ? 0 : slot.requestsDelivered.sum();
  }

  /** Encoded bytes of every request sent into the network plus of every reply delivered. */
  public long bytesTotal() {
    return bytes.sum();
  }

  /** Held-back messages not yet delivered or dropped; 0 once the network is quiet. */
  public long inFlight() {
    return scheduler.waiting();
  }

  // ---------------------------------------------------------------- life cycle

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Stops the scheduler thread and drops every message in flight; later sends are ignored. */
  @Override
  public void close() {
    closed = true;
    scheduler.close();
  }

  @Override
  public String toString() {
    return "SimNetwork[" + name + ", seed=" + seed + (isReliable() ? "" : ", unreliable")
        + (isLongReordering() ? ", long reordering" : "") + (closed ? ", closed" : "") + "]";
  }

  // ---------------------------------------------------------------- package-private: transports

  void register(SimTransport transport) {
    NodeSlot slot = nodes.computeIfAbsent(transport.self(), id -> new NodeSlot());
    if (!slot.live.compareAndSet(null, transport)) {
      throw new IllegalStateException("node " + transport.self()
          + " already has a started transport on " + this + "; close it before starting another");
    }
  }

  void unregister(SimTransport transport) {
    NodeSlot slot = nodes.get(transport.self());
    if (slot != null) {
      slot.live.compareAndSet(transport, null);
    }
  }

  /** Counts, checks and fault decisions happen here, on the sender's thread, in send order. */
  void send(SimTransport sender, NodeId to, RaftMessage message) {
    if (closed) {
      return;
    }
    byte[] wire;
    try {
      wire = MessageCodec.encode(message);
    } catch (IllegalArgumentException tooLarge) {
      return; // above the frame limit: dropped, as the Transport contract says
    }
    boolean request = message.isRequest();
    messages.increment();
    if (request) {
      requests.increment();
      bytes.add(wire.length);
    }
    NodeSlot slot = nodes.get(to);
    SimTransport receiver = slot == null ? null : slot.live.get();
    if (receiver == null || !links.allows(sender.self(), to)) {
      return;
    }
    long delayMs = faults.decide(request);
    if (delayMs == FaultInjector.DROP) {
      return;
    }
    // Decoded here rather than on delivery so that a codec failure surfaces to the sender.
    RaftMessage copy = MessageCodec.decode(wire);
    int size = wire.length;
    if (delayMs == 0) {
      deliver(sender, receiver, slot, copy, request, size);
    } else {
      scheduler.schedule(() -> deliver(sender, receiver, slot, copy, request, size), delayMs);
    }
  }

  private void deliver(SimTransport sender, SimTransport receiver, NodeSlot slot,
      RaftMessage copy, boolean request, int size) {
    // As labrpc: links are checked when a call starts (in send), a request already under way
    // reaches its server even if the caller crashed, and a crashed server's replies are lost.
    if (closed || slot.live.get() != receiver || (!request && sender.isClosed())) {
      return;
    }
    if (request) {
      slot.requestsDelivered.increment();
    } else {
      bytes.add(size);
    }
    MessageHandler handler = receiver.handler();
    try {
      handler.onMessage(copy);
    } catch (RuntimeException e) {
      LOG.warn("handler of {} threw on {}; the message is lost", receiver.self(), copy, e);
    }
  }
}
