package io.raftdb.core.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.message.CodecException;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile but well-formed messages against running protocol instances: 3- and 5-node clusters
 * run a steady workload (proposals, ticks, real messages, now and then a crash or a snapshot),
 * and between real messages {@link MessageMutator} injects mutated or fresh messages. Each
 * injected message first goes through {@link MessageCodec}, so only what the codec accepts
 * reaches the protocol: the threat is a peer whose frames carry a valid checksum.
 *
 * <p>Checked: no exception escapes {@code step}, {@code tick}, {@code ready} or {@code advance}
 * (nor the in-memory storage under them), and the local invariants of {@link ClusterSafety}.
 * Its cross-node invariants are reported too, but fail the test only with
 * {@code -Dfuzz.strictSafety=true}: forged messages in a member's name can break them in any
 * Raft.
 *
 * <p>A node that throws is restarted from its durable state, as a runtime that crashed would be,
 * and the run goes on, so that one run lists every distinct failure (each with the seed, step
 * and message that caused it) rather than the first. Deterministic: each run's seed fixes
 * everything.
 *
 * <p>{@code -Dfuzz.messages=N} sets the total number of injected messages (default
 * {@value #DEFAULT_MESSAGES}, split between the two cluster sizes); {@code -Dfuzz.seed=S} the
 * base seed; {@code -Dfuzz.report=path} also writes the findings to a file.
 */
class ProtocolFuzzTest {
  private static final int DEFAULT_MESSAGES = 1_000_000;
  /** Injected messages per seed: short runs, many seeds, each cluster young and old. */
  private static final int MESSAGES_PER_SEED = 2_000;
  /** More than this in flight and the oldest are dropped, as a full queue would. */
  private static final int MAX_IN_FLIGHT = 500;

  private static final long TOTAL = Long.getLong("fuzz.messages", DEFAULT_MESSAGES);
  private static final long BASE_SEED = Long.getLong("fuzz.seed", 1);
  private static final boolean STRICT = Boolean.getBoolean("fuzz.strictSafety");

  @Test
  void threeNodesSurviveHostileMessages() {
    fuzz(3, TOTAL / 2);
  }

  @Test
  void fiveNodesSurviveHostileMessages() {
    fuzz(5, TOTAL - TOTAL / 2);
  }

  private static void fuzz(int size, long messages) {
    FuzzFindings local = new FuzzFindings();
    FuzzFindings crossNode = new FuzzFindings();
    long injected = 0;
    long rejectedByCodec = 0;
    for (long run = 0; injected < messages; run++) {
      long seed = BASE_SEED * 1_000_003 + size * 10_007L + run;
      FuzzRun r = new FuzzRun(size, seed, local, crossNode);
      r.run(Math.min(MESSAGES_PER_SEED, messages - injected));
      injected += r.injected;
      rejectedByCodec += r.rejectedByCodec;
    }
    String summary = size + " nodes: " + injected + " injected messages reached the protocol ("
        + rejectedByCodec + " more were rejected by the codec); " + local.distinct()
        + " distinct failures, " + crossNode.distinct() + " distinct cross-node violations";
    String report = summary + "\n\nFailures (exceptions, local invariants):\n" + local.report()
        + "\nCross-node invariants (forgeable, " + (STRICT ? "strict" : "reported only")
        + "):\n" + crossNode.report();
    System.out.println(report);
    writeReport(size, report);
    assertTrue(injected >= messages, summary);
    if (!local.isEmpty() || (STRICT && !crossNode.isEmpty())) {
      fail(report);
    }
  }

  private static void writeReport(int size, String report) {
    String path = System.getProperty("fuzz.report");
    if (path == null) {
      return;
    }
    try {
      Files.writeString(Path.of(path + "-" + size + "-nodes.txt"), report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One seeded run: a cluster, its workload, the injected messages. */
  private static final class FuzzRun {
    private final int size;
    private final long seed;
    private final FuzzFindings local;
    private final FuzzFindings crossNode;
    private final SplittableRandom random;
    private ProtocolCluster cluster;
    private ClusterSafety safety;
    private MessageMutator mutator;
    private int clusterGeneration;
    private long step;
    private String lastInput = "nothing yet";
    long injected;
    long rejectedByCodec;

    FuzzRun(int size, long seed, FuzzFindings local, FuzzFindings crossNode) {
      this.size = size;
      this.seed = seed;
      this.local = local;
      this.crossNode = crossNode;
      this.random = new SplittableRandom(seed);
      newCluster();
    }

    private void newCluster() {
      cluster = new ProtocolCluster(size, seed * 31 + clusterGeneration++);
      cluster.installsOnlyKnownSnapshots = true;
      safety = new ClusterSafety(cluster);
      mutator = new MessageMutator(random, cluster.ids, 0);
    }

    void run(long budget) {
      while (injected < budget) {
        step++;
        int action = random.nextInt(1000);
        if (action < 120) {
          NodeId id = anyNode();
          guarded(id, "tick", () -> cluster.tick(id, 1));
        } else if (action < 170) {
          propose();
        } else if (action < 172) {
          NodeId id = anyNode();
          restart(id, "crash");
        } else if (action < 174) {
          snapshot(anyNode());
        } else {
          deliverAndInject();
        }
        processAll();
        String context = context();
        safety.check(context, local, crossNode);
      }
    }

    private void deliverAndInject() {
      Outbound real = cluster.inFlight.poll();
      while (cluster.inFlight.size() > MAX_IN_FLIGHT) {
        cluster.inFlight.poll();
      }
      if (real != null && random.nextInt(10) != 0) {
        lastInput = "real " + real;
        guarded(real.to(), "step", () -> cluster.node(real.to()).step(real.message()));
        processAll();
      }
      NodeId to = real != null && random.nextBoolean() ? real.to() : anyNode();
      RaftProtocol p = cluster.node(to);
      MessageMutator.Receiver receiver =
          new MessageMutator.Receiver(to, p.term(), p.lastLogIndex(), p.commitIndex());
      RaftMessage hostile = mutator.next(real == null ? null : real.message(), receiver);
      RaftMessage onWire;
      try {
        onWire = MessageCodec.decode(MessageCodec.encode(hostile));
      } catch (CodecException rejected) {
        rejectedByCodec++;
        return;
      }
      injected++;
      lastInput = "injected to " + to + ": " + onWire;
      guarded(to, "step", () -> cluster.node(to).step(onWire));
    }

    private void propose() {
      NodeId leader = cluster.soleLeader();
      if (leader == null) {
        return;
      }
      byte[] command = ("c" + step).getBytes();
      guarded(leader, "propose", () -> {
        try {
          cluster.node(leader).propose(command);
        } catch (NotLeaderException transferring) {
          // a transfer is under way: the client would retry elsewhere
        }
      });
    }

    private void snapshot(NodeId id) {
      if (!cluster.applied.get(id).isEmpty()) {
        guarded(id, "snapshot", () -> cluster.takeSnapshot(id));
      }
    }

    /** Runs every node's ready loop, each guarded, until none has work. */
    private void processAll() {
      boolean busy = true;
      for (int round = 0; busy && round < 1_000; round++) {
        busy = false;
        for (NodeId id : cluster.ids) {
          boolean[] worked = new boolean[1];
          guarded(id, "ready/advance", () -> worked[0] = cluster.process(id));
          busy |= worked[0];
        }
      }
      if (busy) {
        local.invariant("ready loop never settles", "still busy after 1000 rounds", context());
      }
    }

    private void guarded(NodeId id, String where, Runnable action) {
      try {
        action.run();
      } catch (RuntimeException | AssertionError e) {
        local.exception(e, where + " on " + id, context());
        restart(id, "after " + e.getClass().getSimpleName());
      }
    }

    /** Restarts a node from its durable state; if even that fails, starts a new cluster. */
    private void restart(NodeId id, String why) {
      try {
        cluster.crashAndRestart(id);
        safety.forgetStaleCursors();
      } catch (RuntimeException | AssertionError e) {
        local.exception(e, "restart of " + id + " (" + why + ")", context());
        newCluster();
      }
    }

    private NodeId anyNode() {
      return cluster.ids.get(random.nextInt(cluster.ids.size()));
    }

    private String context() {
      return "seed " + seed + " (cluster " + (clusterGeneration - 1) + ") step " + step
          + ", last input: " + lastInput;
    }
  }
}
