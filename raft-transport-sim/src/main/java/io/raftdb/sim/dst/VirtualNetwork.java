package io.raftdb.sim.dst;

import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import java.util.SplittableRandom;

/**
 * The simulated wire between the nodes, on virtual time. Every message is encoded by the real
 * {@link MessageCodec} when sent and decoded when delivered, so no object is shared between
 * nodes. A message may be lost (by chance, or because a link is down when it is sent or when it
 * would arrive), delayed, held back long enough to overtake later ones, or delivered twice, as
 * the current {@link FaultPlan} says.
 */
final class VirtualNetwork {
  /** The shortest and longest ordinary one-way latency, in microseconds. */
  static final long MIN_LATENCY = 100;
  static final long MAX_LATENCY = 2_000;

  /** Where delivered messages go. */
  interface Receiver {
    /** Hands {@code m} to node index {@code to}; returns a note for the trace. */
    String receive(int to, RaftMessage m);
  }

  private final EventQueue events;
  private final SplittableRandom random;
  private final Links links;
  private final MessageTamper tamper;
  private final Receiver receiver;
  private FaultPlan plan = FaultPlan.CALM;

  private long sent;
  private long lost;
  private long duplicated;
  private long bytes;

  VirtualNetwork(EventQueue events, SplittableRandom random, Links links, MessageTamper tamper,
      Receiver receiver) {
    this.events = events;
    this.random = random;
    this.links = links;
    this.tamper = tamper;
    this.receiver = receiver;
  }

  /** Switches to another set of fault intensities (from now on). */
  void use(FaultPlan newPlan) {
    this.plan = newPlan;
  }

  /** Sends {@code m} from node index {@code from} to node index {@code to}. */
  void send(int from, int to, RaftMessage m) {
    sent++;
    if (!links.canSend(from, to) || chance(plan.dropRate())) {
      lost++;
      return;
    }
    RaftMessage onWire = tamper.tamper(m, random);
    byte[] frame = MessageCodec.encode(onWire);
    bytes += frame.length;
    String label = "deliver n" + (from + 1) + "->n" + (to + 1) + " " + TraceFormat.message(onWire);
    events.after(latency(), label, () -> arrive(from, to, frame));
    if (chance(plan.duplicateRate())) {
      duplicated++;
      events.after(latency(), label + " (duplicate)", () -> arrive(from, to, frame));
    }
  }

  private String arrive(int from, int to, byte[] frame) {
    if (!links.canSend(from, to)) {
      lost++;
      return "lost: link down";
    }
    return receiver.receive(to, MessageCodec.decode(frame));
  }

  private long latency() {
    long delay = MIN_LATENCY + random.nextLong(MAX_LATENCY - MIN_LATENCY + 1);
    if (plan.maxLongDelay() > 0 && chance(plan.longDelayRate())) {
      delay += random.nextLong(plan.maxLongDelay());
    }
    return delay;
  }

  private boolean chance(double p) {
    return p > 0 && (p >= 1 || random.nextDouble() < p);
  }

  /** Messages handed to the wire. */
  long sent() {
    return sent;
  }

  /** Messages lost to drops and partitions. */
  long lost() {
    return lost;
  }

  /** Extra copies delivered. */
  long duplicated() {
    return duplicated;
  }

  /** Encoded bytes put on the wire. */
  long bytes() {
    return bytes;
  }
}
