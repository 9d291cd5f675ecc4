package io.raftdb.server.resp;

import static io.raftdb.server.resp.CommandSpec.Kind.READ;
import static io.raftdb.server.resp.CommandSpec.Kind.WRITE;

import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvLimits;
import io.raftdb.kv.KvQuery;
import io.raftdb.kv.PutCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Redis's string commands on the replicated ordered map. */
final class StringCommands {
  private StringCommands() {}

  static void register(Consumer<CommandSpec> table) {
    table.accept(new CommandSpec("GET", 2, READ, 1, 1, 1, StringCommands::get));
    table.accept(new CommandSpec("STRLEN", 2, READ, 1, 1, 1, StringCommands::strlen));
    table.accept(new CommandSpec("MGET", -2, READ, 1, -1, 1, StringCommands::mget));
    table.accept(new CommandSpec("SET", -3, WRITE, 1, 1, 1, StringCommands::set));
    table.accept(new CommandSpec("SETNX", 3, WRITE, 1, 1, 1, StringCommands::setnx));
    table.accept(new CommandSpec("GETSET", 3, WRITE, 1, 1, 1, StringCommands::getset));
    table.accept(new CommandSpec("MSET", -3, WRITE, 1, -1, 2, StringCommands::mset));
    table.accept(new CommandSpec("APPEND", 3, WRITE, 1, 1, 1, StringCommands::append));
    table.accept(new CommandSpec("INCR", 2, WRITE, 1, 1, 1, (c, s, x) -> incr(c, x, 1)));
    table.accept(new CommandSpec("DECR", 2, WRITE, 1, 1, 1, (c, s, x) -> incr(c, x, -1)));
    table.accept(new CommandSpec("INCRBY", 3, WRITE, 1, 1, 1,
        (c, s, x) -> incr(c, x, Args.integer(c, 2))));
    table.accept(new CommandSpec("DECRBY", 3, WRITE, 1, 1, 1, StringCommands::decrby));
  }

  private static RespPlan get(RespCommand c, ConnectionState s, RespContext x) {
    return read(c, List.of(KvQuery.get(Args.key(c, 1, x.limits()))),
        (out, o) -> Replies.bulkOrNull(out, o.<Optional<ByteString>>get(0)));
  }

  private static RespPlan strlen(RespCommand c, ConnectionState s, RespContext x) {
    return read(c, List.of(KvQuery.get(Args.key(c, 1, x.limits()))),
        (out, o) -> Replies.integer(out, o.<Optional<ByteString>>get(0)
            .map(ByteString::size).orElse(0)));
  }

  private static RespPlan mget(RespCommand c, ConnectionState s, RespContext x) {
    List<KvQuery<?>> gets = new ArrayList<>(c.size() - 1);
    for (int i = 1; i < c.size(); i++) {
      gets.add(KvQuery.get(Args.key(c, i, x.limits())));
    }
    return read(c, gets, (out, o) -> {
      Replies.arrayHeader(out, gets.size());
      for (int i = 0; i < gets.size(); i++) {
        Replies.bulkOrNull(out, o.<Optional<ByteString>>get(i));
      }
    });
  }

  /** SET key value [NX | XX] [GET]; expiry options are refused: RaftDB's keys do not expire. */
  private static RespPlan set(RespCommand c, ConnectionState s, RespContext x) {
    PutCondition condition = PutCondition.ALWAYS;
    boolean returnOld = false;
    for (int i = 3; i < c.size(); i++) {
      String option = Args.word(c, i);
      switch (option) {
        case "NX", "XX" -> {
          if (condition != PutCondition.ALWAYS) {
            throw RespError.syntax();
          }
          condition = option.equals("NX") ? PutCondition.IF_ABSENT : PutCondition.IF_PRESENT;
        }
        case "GET" -> returnOld = true;
        case "EX", "PX", "EXAT", "PXAT", "KEEPTTL" -> throw new RespError(
            "ERR RaftDB keys do not expire: " + option + " is not supported");
        default -> throw RespError.syntax();
      }
    }
    PutCondition when = condition;
    boolean get = returnOld;
    KvCommand<?> put = KvCommand.putIf(Args.key(c, 1, x.limits()),
        Args.value(c, 2, x.limits()), when);
    return write(c, List.of(put), (out, o) -> {
      Optional<ByteString> previous = o.get(0);
      if (get) {
        Replies.bulkOrNull(out, previous);
      } else if (applied(when, previous)) {
        Replies.ok(out);
      } else {
        Replies.nullBulk(out);
      }
    });
  }

  private static boolean applied(PutCondition condition, Optional<ByteString> previous) {
    return switch (condition) {
      case ALWAYS -> true;
      case IF_ABSENT -> previous.isEmpty();
      case IF_PRESENT -> previous.isPresent();
    };
  }

  private static RespPlan setnx(RespCommand c, ConnectionState s, RespContext x) {
    KvCommand<?> put = KvCommand.putIf(Args.key(c, 1, x.limits()),
        Args.value(c, 2, x.limits()), PutCondition.IF_ABSENT);
    return write(c, List.of(put),
        (out, o) -> Replies.integer(out, o.<Optional<ByteString>>get(0).isEmpty() ? 1 : 0));
  }

  private static RespPlan getset(RespCommand c, ConnectionState s, RespContext x) {
    KvCommand<?> put = KvCommand.put(Args.key(c, 1, x.limits()), Args.value(c, 2, x.limits()));
    return write(c, List.of(put),
        (out, o) -> Replies.bulkOrNull(out, o.<Optional<ByteString>>get(0)));
  }

  /** All pairs in one batch, so one log entry: readers see all of them or none. */
  private static RespPlan mset(RespCommand c, ConnectionState s, RespContext x) {
    if (c.size() % 2 == 0) {
      throw RespError.wrongArity(c.name());
    }
    KvLimits limits = x.limits();
    List<KvCommand<?>> puts = new ArrayList<>(c.size() / 2);
    for (int i = 1; i < c.size(); i += 2) {
      puts.add(KvCommand.put(Args.key(c, i, limits), Args.value(c, i + 1, limits)));
    }
    return write(c, puts, (out, o) -> {
      for (int i = 0; i < puts.size(); i++) {
        o.get(i); // a refused pair is this command's error
      }
      Replies.ok(out);
    });
  }

  private static RespPlan append(RespCommand c, ConnectionState s, RespContext x) {
    KvCommand<?> append = KvCommand.append(Args.key(c, 1, x.limits()),
        Args.value(c, 2, x.limits()));
    return write(c, List.of(append), (out, o) -> Replies.integer(out, o.<Long>get(0)));
  }

  private static RespPlan decrby(RespCommand c, ConnectionState s, RespContext x) {
    long by = Args.integer(c, 2);
    if (by == Long.MIN_VALUE) {
      throw new RespError("ERR decrement would overflow");
    }
    return incr(c, x, -by);
  }

  private static RespPlan incr(RespCommand c, RespContext x, long delta) {
    KvCommand<?> increment = KvCommand.increment(Args.key(c, 1, x.limits()), delta);
    return write(c, List.of(increment), (out, o) -> Replies.integer(out, o.<Long>get(0)));
  }

  static RespPlan read(RespCommand c, List<KvQuery<?>> queries, RespPlan.Responder responder) {
    return new RespPlan.Read(queries, responder, Args.weight(c));
  }

  static RespPlan write(RespCommand c, List<KvCommand<?>> commands,
      RespPlan.Responder responder) {
    return new RespPlan.Write(commands, responder, Args.weight(c));
  }
}
