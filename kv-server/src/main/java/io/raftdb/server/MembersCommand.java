package io.raftdb.server;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.kv.KvClient;
import io.raftdb.message.MembershipChange;
import io.raftdb.tcp.HostPort;
import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftdb members add|remove|promote|transfer}: membership changes and leadership
 * transfers, sent to the cluster's leader. Each prints the membership in effect afterwards.
 */
@Command(name = "members", mixinStandardHelpOptions = true,
    description = "Changes the cluster's members (one change at a time) or hands leadership over.",
    subcommands = {MembersCommand.Add.class, MembersCommand.Remove.class,
        MembersCommand.Promote.class, MembersCommand.Transfer.class})
final class MembersCommand {

  /** Sends one change and prints the membership the leader answers with. */
  abstract static class Change extends KvCommands.Base {
    abstract MembershipChange change();

    @Override
    int run(KvClient kv, PrintWriter out) {
      try {
        out.println(describe(kv.raftClient().changeMembership(change()).get()));
        return 0;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 2;
      }
    }
  }

  /** The membership as the command line shows it. */
  static String describe(Membership m) {
    StringBuilder s = new StringBuilder("voters: ").append(String.join(",",
        m.voters().stream().map(NodeId::value).toList()));
    if (m.isJoint()) {
      s.append(" (joint with outgoing ").append(String.join(",",
          m.outgoingVoters().stream().map(NodeId::value).toList())).append(')');
    }
    s.append("; learners: ").append(m.learners().isEmpty() ? "none" : String.join(",",
        m.learners().stream().map(id -> id.value() + (m.promotable().contains(id)
            ? " (promoted once caught up)" : "")).toList()));
    return s.toString();
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Adds a node started with `raftdb server --join`: as a learner, promoted to"
          + " voter once it has caught up (waits for that), or a learner for good with"
          + " --learner.")
  static final class Add extends Change {
    @Parameters(paramLabel = "ID=HOST:PORT",
        description = "The new node and its member address, where the others reach it.")
    String member;

    @Option(names = "--learner", description = "Keep it a non-voting learner.")
    boolean learner;

    @Override
    MembershipChange change() {
      int eq = member.indexOf('=');
      if (eq < 1 || eq == member.length() - 1) {
        throw new IllegalArgumentException("expected ID=HOST:PORT, got '" + member + "'");
      }
      String address = member.substring(eq + 1);
      HostPort.parse("the address of " + member.substring(0, eq), address); // fail early
      return new MembershipChange(learner ? MembershipChange.Kind.ADD_LEARNER
          : MembershipChange.Kind.ADD_VOTER, NodeId.of(member.substring(0, eq)), address);
    }
  }

  /** A change to one member named by its id. */
  abstract static class OfMember extends Change {
    @Parameters(paramLabel = "ID", description = "The member.")
    String id;

    abstract MembershipChange.Kind kind();

    @Override
    MembershipChange change() {
      return new MembershipChange(kind(), NodeId.of(id), null);
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Removes a member; a removed leader steps down once its removal commits.")
  static final class Remove extends OfMember {
    @Override
    MembershipChange.Kind kind() {
      return MembershipChange.Kind.REMOVE;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Makes a learner a voter now, caught up or not.")
  static final class Promote extends OfMember {
    @Override
    MembershipChange.Kind kind() {
      return MembershipChange.Kind.PROMOTE;
    }
  }

  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = "Hands leadership to a voter (fails if it does not take over within an"
          + " election timeout).")
  static final class Transfer extends OfMember {
    @Override
    MembershipChange.Kind kind() {
      return MembershipChange.Kind.TRANSFER;
    }
  }
}
