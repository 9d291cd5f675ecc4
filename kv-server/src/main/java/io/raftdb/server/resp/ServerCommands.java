package io.raftdb.server.resp;

import static io.raftdb.server.resp.CommandSpec.Kind.SERVER;

import io.netty.buffer.ByteBuf;
import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.GlobPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** INFO, COMMAND and CONFIG GET: what tools ask a server about itself. */
final class ServerCommands {
  /** The Redis version RaftDB answers as: the commands it serves behave as this version's. */
  static final String REDIS_VERSION = "7.0.0";
  static final String RAFTDB_VERSION = "0.1.0";

  /**
   * The settings CONFIG GET shows. redis-benchmark reads "save" and "appendonly" at start; every
   * write in RaftDB is in a synced log before it is acknowledged, which these say in Redis's
   * terms.
   */
  private static final Map<String, String> CONFIG = Map.of(
      "save", "", "appendonly", "yes", "appendfsync", "always", "databases", "1");

  private ServerCommands() {}

  static void register(Consumer<CommandSpec> table) {
    table.accept(new CommandSpec("INFO", -1, SERVER, 0, 0, 0, ServerCommands::info));
    table.accept(new CommandSpec("COMMAND", -1, SERVER, 0, 0, 0, ServerCommands::command));
    table.accept(new CommandSpec("CONFIG", -2, SERVER, 0, 0, 0, ServerCommands::config));
  }

  private static RespPlan info(RespCommand c, ConnectionState s, RespContext x) {
    List<String> wanted = new ArrayList<>();
    for (int i = 1; i < c.size(); i++) {
      wanted.add(Args.text(c, i).toLowerCase(Locale.ROOT));
    }
    String text = infoText(x, wanted);
    return ConnectionCommands.local(out -> Replies.bulk(out, text));
  }

  /** INFO's sections, each "# Name" and "field:value" lines, as Redis writes them. */
  static String infoText(RespContext x, List<String> wanted) {
    NodeStatus status = x.backend().status();
    RespStats stats = x.stats();
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    Map<String, Object> server = section(sections, "Server");
    server.put("redis_version", REDIS_VERSION);
    server.put("raftdb_version", RAFTDB_VERSION);
    server.put("redis_mode", "standalone");
    server.put("process_id", ProcessHandle.current().pid());
    server.put("uptime_in_seconds", (System.currentTimeMillis() - stats.startedMillis) / 1000);
    section(sections, "Clients").put("connected_clients", stats.connectedClients.get());
    Map<String, Object> counters = section(sections, "Stats");
    counters.put("total_connections_received", stats.totalConnections.sum());
    counters.put("total_commands_processed", stats.commandsProcessed.sum());
    counters.put("raft_write_batches", stats.writeBatches.sum());
    counters.put("raft_read_batches", stats.readBatches.sum());
    counters.put("protocol_errors", stats.protocolErrors.sum());
    section(sections, "Replication").put("role", status.isLeader() ? "master" : "slave");
    Map<String, Object> raft = section(sections, "Raft");
    raft.put("raft_node_id", status.id().value());
    raft.put("raft_state", status.state().toString().toLowerCase(Locale.ROOT));
    raft.put("raft_role", status.role().toString().toLowerCase(Locale.ROOT));
    raft.put("raft_term", status.term());
    raft.put("raft_leader", status.leader().map(NodeId::value).orElse(""));
    raft.put("raft_commit_index", status.commitIndex());
    raft.put("raft_applied_index", status.appliedIndex());
    raft.put("raft_first_log_index", status.firstLogIndex());
    raft.put("raft_last_log_index", status.lastLogIndex());
    raft.put("raft_members", status.members().stream().map(NodeId::value)
        .collect(Collectors.joining(",")));
    boolean all = wanted.isEmpty() || wanted.contains("all") || wanted.contains("everything")
        || wanted.contains("default");
    StringBuilder text = new StringBuilder();
    sections.forEach((name, fields) -> {
      if (all || wanted.contains(name.toLowerCase(Locale.ROOT))) {
        text.append(text.length() == 0 ? "" : "\r\n").append("# ").append(name).append("\r\n");
        fields.forEach((k, v) -> text.append(k).append(':').append(v).append("\r\n"));
      }
    });
    return text.toString();
  }

  private static Map<String, Object> section(Map<String, Map<String, Object>> sections,
      String name) {
    return sections.computeIfAbsent(name, n -> new LinkedHashMap<>());
  }

  /** COMMAND, COMMAND COUNT, COMMAND INFO name…, COMMAND DOCS (empty: no docs served). */
  private static RespPlan command(RespCommand c, ConnectionState s, RespContext x) {
    if (c.size() == 1) {
      List<CommandSpec> all = RespCommands.all();
      return ConnectionCommands.local(out -> {
        Replies.arrayHeader(out, all.size());
        all.forEach(spec -> describe(out, spec));
      });
    }
    return switch (Args.word(c, 1)) {
      case "COUNT" -> ConnectionCommands.local(out -> Replies.integer(out,
          RespCommands.all().size()));
      case "DOCS" -> ConnectionCommands.local(out -> Replies.arrayHeader(out, 0));
      case "INFO" -> ConnectionCommands.local(out -> {
        Replies.arrayHeader(out, c.size() - 2);
        for (int i = 2; i < c.size(); i++) {
          CommandSpec spec = RespCommands.find(Args.word(c, i));
          if (spec == null) {
            Replies.nullArray(out);
          } else {
            describe(out, spec);
          }
        }
      });
      default -> throw new RespError("ERR unknown subcommand '" + Args.text(c, 1)
          + "'. Try COMMAND HELP.");
    };
  }

  /** One command as Redis 7 describes it (the last four parts left empty). */
  private static void describe(ByteBuf out, CommandSpec spec) {
    Replies.arrayHeader(out, 10);
    Replies.bulk(out, spec.name().toLowerCase(Locale.ROOT));
    Replies.integer(out, spec.arity());
    List<String> flags = switch (spec.kind()) {
      case WRITE -> List.of("write");
      case READ -> List.of("readonly");
      case CONNECTION, SERVER -> List.of("fast");
    };
    Replies.arrayHeader(out, flags.size());
    flags.forEach(f -> Replies.simple(out, f));
    Replies.integer(out, spec.firstKey());
    Replies.integer(out, spec.lastKey());
    Replies.integer(out, spec.keyStep());
    for (int i = 0; i < 4; i++) {
      Replies.arrayHeader(out, 0);
    }
  }

  /** CONFIG GET pattern…; RaftDB's settings are flags of its server, not changed at run time. */
  private static RespPlan config(RespCommand c, ConnectionState s, RespContext x) {
    String sub = Args.word(c, 1);
    if (sub.equals("RESETSTAT")) {
      return ConnectionCommands.local(Replies::ok);
    }
    if (!sub.equals("GET")) {
      throw new RespError("ERR CONFIG " + Args.text(c, 1) + " is not supported by RaftDB");
    }
    if (c.size() < 3) {
      throw RespError.wrongArity("config|get");
    }
    Map<String, String> found = new LinkedHashMap<>();
    for (int i = 2; i < c.size(); i++) {
      GlobPattern pattern = GlobPattern.compile(ByteString.copyOf(c.arg(i)));
      CONFIG.forEach((k, v) -> {
        if (pattern.matches(ByteString.utf8(k))) {
          found.put(k, v);
        }
      });
    }
    return ConnectionCommands.local(out -> {
      Replies.arrayHeader(out, 2 * found.size());
      found.forEach((k, v) -> {
        Replies.bulk(out, k);
        Replies.bulk(out, v);
      });
    });
  }
}
