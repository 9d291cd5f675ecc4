package io.raftdb.server.resp;

import static io.raftdb.server.resp.CommandSpec.Kind.CONNECTION;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.util.function.Consumer;

/** Commands about the connection itself: answered by the node, never by the store. */
final class ConnectionCommands {
  static final String NOAUTH = "NOAUTH Authentication required.";

  private ConnectionCommands() {}

  static void register(Consumer<CommandSpec> table) {
    table.accept(new CommandSpec("PING", -1, CONNECTION, 0, 0, 0, ConnectionCommands::ping));
    table.accept(new CommandSpec("ECHO", 2, CONNECTION, 0, 0, 0,
        (c, s, x) -> local(out -> Replies.bulk(out, c.arg(1)))));
    table.accept(new CommandSpec("QUIT", -1, CONNECTION, 0, 0, 0,
        (c, s, x) -> new RespPlan.Local((out, o) -> Replies.ok(out), true)));
    table.accept(new CommandSpec("SELECT", 2, CONNECTION, 0, 0, 0, ConnectionCommands::select));
    table.accept(new CommandSpec("AUTH", -2, CONNECTION, 0, 0, 0, ConnectionCommands::auth));
    table.accept(new CommandSpec("HELLO", -1, CONNECTION, 0, 0, 0, ConnectionCommands::hello));
    table.accept(new CommandSpec("CLIENT", -2, CONNECTION, 0, 0, 0, ConnectionCommands::client));
  }

  /** Whether a connection that has not authenticated may run {@code name}. */
  static boolean allowedBeforeAuth(String name) {
    return name.equals("AUTH") || name.equals("HELLO") || name.equals("QUIT");
  }

  /** A plan answered at once by {@code reply}. */
  static RespPlan local(Consumer<ByteBuf> reply) {
    return new RespPlan.Local((out, o) -> reply.accept(out));
  }

  private static RespPlan ping(RespCommand c, ConnectionState s, RespContext x) {
    return switch (c.size()) {
      case 1 -> local(out -> Replies.simple(out, "PONG"));
      case 2 -> local(out -> Replies.bulk(out, c.arg(1)));
      default -> throw RespError.wrongArity(c.name());
    };
  }

  private static RespPlan select(RespCommand c, ConnectionState s, RespContext x) {
    if (Args.integer(c, 1) != 0) {
      throw new RespError("ERR DB index is out of range");
    }
    return local(Replies::ok);
  }

  /** AUTH [username] password; the only user is "default". */
  private static RespPlan auth(RespCommand c, ConnectionState s, RespContext x) {
    if (c.size() > 3) {
      throw RespError.syntax();
    }
    authenticate(s, x, c.size() == 3 ? c.arg(1) : null, c.arg(c.size() - 1));
    return local(Replies::ok);
  }

  private static void authenticate(ConnectionState s, RespContext x, byte[] user,
      byte[] password) {
    if (x.password().isEmpty()) {
      throw new RespError("ERR AUTH <password> called without any password configured for the"
          + " default user. Are you sure your configuration is correct?");
    }
    boolean defaultUser = user == null || new String(user,
        java.nio.charset.StandardCharsets.UTF_8).equals("default");
    // Constant time: how much of a guess is right must not show in the reply's timing.
    if (!MessageDigest.isEqual(password, x.password().get()) || !defaultUser) {
      throw new RespError("WRONGPASS invalid username-password pair or user is disabled.");
    }
    s.authenticated = true;
  }

  /** HELLO [protover [AUTH username password] [SETNAME name]]: RESP2 only. */
  private static RespPlan hello(RespCommand c, ConnectionState s, RespContext x) {
    int i = 1;
    if (c.size() > 1) {
      long version;
      try {
        version = Args.integer(c, 1);
      } catch (RespError e) {
        throw new RespError("ERR Protocol version is not an integer or out of range");
      }
      if (version != 2) {
        throw new RespError("NOPROTO sorry, this protocol version is not supported");
      }
      i = 2;
    }
    byte[] name = null;
    for (; i < c.size(); i++) {
      String option = Args.word(c, i);
      if (option.equals("AUTH") && i + 2 < c.size()) {
        authenticate(s, x, c.arg(i + 1), c.arg(i + 2));
        i += 2;
      } else if (option.equals("SETNAME") && i + 1 < c.size()) {
        name = c.arg(++i);
      } else {
        throw new RespError("ERR Syntax error in HELLO option '" + Args.text(c, i) + "'");
      }
    }
    if (!s.authenticated) {
      throw new RespError(NOAUTH);
    }
    if (name != null) {
      s.name = checkedName(name);
    }
    boolean leader = x.backend().status().isLeader();
    return local(out -> {
      Replies.arrayHeader(out, 14);
      Replies.bulk(out, "server");
      Replies.bulk(out, "redis");
      Replies.bulk(out, "version");
      Replies.bulk(out, ServerCommands.REDIS_VERSION);
      Replies.bulk(out, "proto");
      Replies.integer(out, 2);
      Replies.bulk(out, "id");
      Replies.integer(out, s.id);
      Replies.bulk(out, "mode");
      Replies.bulk(out, "standalone");
      Replies.bulk(out, "role");
      Replies.bulk(out, leader ? "master" : "replica");
      Replies.bulk(out, "modules");
      Replies.arrayHeader(out, 0);
    });
  }

  private static RespPlan client(RespCommand c, ConnectionState s, RespContext x) {
    String sub = Args.word(c, 1);
    return switch (sub) {
      case "SETNAME" -> {
        if (c.size() != 3) {
          throw RespError.wrongArity("client|setname");
        }
        s.name = checkedName(c.arg(2));
        yield local(Replies::ok);
      }
      case "GETNAME" -> local(out -> {
        if (s.name == null) {
          Replies.nullBulk(out);
        } else {
          Replies.bulk(out, s.name);
        }
      });
      case "ID" -> local(out -> Replies.integer(out, s.id));
      case "SETINFO" -> local(Replies::ok); // library name and version: nothing to keep
      default -> throw new RespError("ERR unknown subcommand '" + Args.text(c, 1)
          + "'. Try CLIENT HELP.");
    };
  }

  /** Redis refuses names that would break CLIENT LIST's one-line format. */
  private static byte[] checkedName(byte[] name) {
    for (byte b : name) {
      if (b < '!' || b > '~') {
        throw new RespError("ERR Client names cannot contain spaces, newlines or special"
            + " characters.");
      }
    }
    return name.length == 0 ? null : name;
  }
}
