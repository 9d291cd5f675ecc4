package io.raftdb.core.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.LogPosition;
import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.Role;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.message.MembershipCodec;
import io.raftdb.storage.LogStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random membership changes (learners, promotions, removals, joint replacements) and leadership
 * transfers under message loss, partitions, crashes and snapshots, many seeds: at most one leader per term across
 * configurations, every node applies the same entry at each index, every node's membership is
 * the one its log (and snapshot) holds, and once the faults stop the group commits again.
 */
class MembershipChaosTest {
  private static final int SEEDS = Integer.getInteger("membership.seeds", 300);
  private static final int STEPS = 600;
  private static final List<NodeId> ALL = List.of(NodeId.of("n1"), NodeId.of("n2"),
      NodeId.of("n3"), NodeId.of("n4"), NodeId.of("n5"));

  @Test
  void safetyHoldsAndTheGroupRecoversAcrossRandomMembershipChanges() {
    long changes = 0;
    for (int seed = Integer.getInteger("membership.firstSeed", 1); seed <= SEEDS; seed++) {
      changes += new Run(seed).run();
    }
    assertTrue(changes > SEEDS * 3L, "the runs changed memberships: " + changes);
  }

  private static final class Run {
    private final long seed;
    private final SplittableRandom random;
    private final ProtocolCluster cluster;
    private final ClusterSafety safety;
    private final FuzzFindings findings = new FuzzFindings();
    private int changes;

    Run(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
      this.cluster = new ProtocolCluster(3, seed);
      cluster.addJoiningNode(ALL.get(3));
      cluster.addJoiningNode(ALL.get(4));
      this.safety = new ClusterSafety(cluster);
    }

    int run() {
      for (int step = 0; step < STEPS; step++) {
        int action = random.nextInt(100);
        if (action < 55) {
          cluster.tickAll(); // (delivers what it sends, less what the drops below take)
        } else if (action < 70) {
          cluster.deliverAll(o -> random.nextInt(10) != 0);
        } else if (action < 78) {
          propose();
        } else if (action < 86) {
          changeMembership();
        } else if (action < 88) {
          transferLeadership();
        } else if (action < 92) {
          NodeId id = any();
          if (!cluster.isolated.remove(id)) {
            cluster.isolated.add(id);
          }
        } else if (action < 95) {
          cluster.crashAndRestart(any());
          safety.forgetStaleCursors();
        } else {
          snapshot(any());
        }
        check("step " + step);
      }
      recover();
      return changes;
    }

    private NodeId any() {
      return ALL.get(random.nextInt(ALL.size()));
    }

    private NodeId leader() {
      return cluster.soleLeader();
    }

    private void propose() {
      NodeId leader = leader();
      if (leader != null) {
        try {
          cluster.node(leader).propose(("c" + random.nextInt()).getBytes());
        } catch (RuntimeException notNow) {
          // (handing leadership over, or no longer leading)
        }
      }
    }

    private void changeMembership() {
      NodeId leader = leader();
      if (leader == null) {
        return;
      }
      RaftProtocol p = cluster.node(leader);
      Membership m = p.membership();
      NodeId target = any();
      try {
        Membership next = switch (random.nextInt(4)) {
          case 0 -> m.withLearner(target, random.nextBoolean());
          case 1 -> m.without(target);
          case 2 -> m.withPromoted(target);
          default -> m.withVoters(randomVoters());
        };
        p.proposeMembership(next);
        changes++;
      } catch (MembershipChangeException | NotLeaderException | IllegalArgumentException refused) {
        // one at a time, not yet committed in this term, handing over, or not sensible
      }
    }

    private void transferLeadership() {
      NodeId leader = leader();
      if (leader != null) {
        try {
          cluster.node(leader).transferLeadership(any());
        } catch (IllegalArgumentException notAVoter) {
          // (only voters can take over)
        }
      }
    }

    private List<NodeId> randomVoters() {
      List<NodeId> voters = new ArrayList<>();
      for (NodeId id : ALL) {
        if (random.nextInt(2) == 0) {
          voters.add(id);
        }
      }
      return voters.isEmpty() ? List.of(any()) : voters;
    }

    private void snapshot(NodeId id) {
      if (!cluster.applied.get(id).isEmpty()) {
        cluster.takeSnapshot(id);
      }
    }

    private void check(String when) {
      String context = "seed " + seed + ", " + when;
      safety.check(context, findings, findings);
      for (NodeId id : ALL) {
        Membership expected = membershipInStorage(id);
        Membership actual = cluster.node(id).membership();
        if (expected != null && !expected.equals(actual)) {
          findings.invariant("membership not derived from the log", id + " has " + actual
              + " but its log and snapshot say " + expected, context);
        }
      }
      if (!findings.isEmpty()) {
        fail(findings.report());
      }
    }

    /**
     * The membership that {@code id}'s written log and newest snapshot hold, or {@code null}
     * if the node holds unwritten entries (its ready was not yet handled).
     */
    private Membership membershipInStorage(NodeId id) {
      RaftProtocol p = cluster.node(id);
      LogStorage log = cluster.logs.get(id);
      if (p.lastLogIndex() != log.lastIndex()) {
        return null;
      }
      for (long i = log.lastIndex(); i >= log.firstIndex() && i >= 1; i--) {
        LogEntry e = log.entries(i, i + 1, Long.MAX_VALUE).get(0);
        if (e.kind() == EntryKind.MEMBERSHIP) {
          return MembershipCodec.decode(e.payload());
        }
      }
      LogPosition snapshot = cluster.snapshotOf.get(id);
      List<LogEntry> inSnapshot = snapshot == null ? List.of() : cluster.snapshots.get(snapshot);
      return cluster.membershipAfter(id, inSnapshot);
    }

    /** With the faults gone, some leader commits a command that every voter applies. */
    private void recover() {
      cluster.isolated.clear();
      String command = "final-" + seed;
      long proposedInTerm = -1;
      for (int i = 0; i < 5_000; i++) {
        cluster.tickAll();
        check("recovery tick " + i);
        NodeId leader = leader();
        if (leader == null) {
          continue;
        }
        RaftProtocol p = cluster.node(leader);
        if (i % 50 == 49) {
          // The runtime's snapshot shipper gives up on a lost snapshot after a while; the
          // cluster ships snapshots as single messages, which the chaos may have dropped.
          ALL.forEach(p::snapshotSendFailed);
        }
        if (proposedInTerm != p.term() && !cluster.appliedCommands(leader).contains(command)) {
          try {
            p.propose(command.getBytes()); // again in each new term: a lost one is retried
            proposedInTerm = p.term();
          } catch (RuntimeException notNow) {
            continue;
          }
        }
        Membership m = cluster.node(leader).membership();
        if (m.allVoters().stream().allMatch(v -> cluster.appliedCommands(v).contains(command))) {
          return;
        }
      }
      fail("seed " + seed + ": no recovery; leader " + leader() + ", memberships "
          + ALL.stream().map(id -> id + "=" + cluster.node(id).membership() + "/"
              + cluster.node(id).role() + "@" + cluster.node(id).term() + " commit "
              + cluster.node(id).commitIndex() + " last " + cluster.node(id).lastLogIndex()
              + " applied " + cluster.applied.get(id).size()).toList());
    }
  }
}
