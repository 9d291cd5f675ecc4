package io.raftdb.server.resp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every command the RESP front end serves, by upper-case name. */
final class RespCommands {
  private static final Map<String, CommandSpec> TABLE = build();

  private RespCommands() {}

  private static Map<String, CommandSpec> build() {
    Map<String, CommandSpec> table = new TreeMap<>();
    java.util.function.Consumer<CommandSpec> add = spec -> table.put(spec.name(), spec);
    StringCommands.register(add);
    KeyspaceCommands.register(add);
    ConnectionCommands.register(add);
    ServerCommands.register(add);
    return Collections.unmodifiableMap(table);
  }

  /** The command named {@code upperCaseName}, or {@code null}. */
  static CommandSpec find(String upperCaseName) {
    return TABLE.get(upperCaseName);
  }

  /** Every command, by name. */
  static List<CommandSpec> all() {
    return new ArrayList<>(TABLE.values());
  }

  /**
   * Plans {@code c}, or throws the {@link RespError} Redis would give: an unknown command, a
   * wrong argument count, a connection that has not authenticated, bad arguments.
   */
  static RespPlan plan(RespCommand c, ConnectionState connection, RespContext context) {
    CommandSpec spec = TABLE.get(c.name());
    if (spec == null) {
      throw unknown(c);
    }
    if (!connection.authenticated && !ConnectionCommands.allowedBeforeAuth(spec.name())) {
      throw new RespError(ConnectionCommands.NOAUTH);
    }
    if (!spec.accepts(c.size())) {
      throw RespError.wrongArity(Args.text(c, 0));
    }
    return spec.planner().plan(c, connection, context);
  }

  /** Redis 7's words for a command it does not know, with the start of its arguments. */
  private static RespError unknown(RespCommand c) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < c.size() && args.length() < 128; i++) {
      String arg = Args.text(c, i);
      args.append('\'').append(arg, 0, Math.min(arg.length(), 128)).append("' ");
    }
    String name = Args.text(c, 0);
    return new RespError("ERR unknown command '" + name.substring(0, Math.min(name.length(),
        128)) + "', with args beginning with: " + args);
  }
}
