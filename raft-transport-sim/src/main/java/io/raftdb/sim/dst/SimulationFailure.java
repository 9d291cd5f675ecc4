package io.raftdb.sim.dst;

import java.util.List;

/**
 * The first property a run broke.
 *
 * @param family which property
 * @param detail what exactly was seen
 * @param nodes the nodes involved
 * @param event the number of the event after which it was seen (counting from 1)
 * @param virtualTimeMicros when, in virtual microseconds since the start
 */
public record SimulationFailure(InvariantFamily family, String detail, List<String> nodes,
    long event, long virtualTimeMicros) {
  /** Freezes the node list. */
  public SimulationFailure {
    nodes = List.copyOf(nodes);
  }
}
