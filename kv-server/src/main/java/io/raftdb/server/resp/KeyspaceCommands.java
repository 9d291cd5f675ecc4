package io.raftdb.server.resp;

import static io.raftdb.server.resp.CommandSpec.Kind.READ;
import static io.raftdb.server.resp.CommandSpec.Kind.WRITE;

import io.raftdb.kv.ByteString;
import io.raftdb.kv.KeyPage;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Commands on the key space as a whole: DEL, EXISTS, TYPE, DBSIZE, SCAN and KEYS. */
final class KeyspaceCommands {
  /** SCAN's COUNT when the client gives none (Redis's default). */
  static final int DEFAULT_SCAN_COUNT = 10;
  /** The most keys one SCAN step examines, whatever COUNT asks. */
  static final int MAX_SCAN_COUNT = 100_000;

  private KeyspaceCommands() {}

  static void register(Consumer<CommandSpec> table) {
    table.accept(new CommandSpec("DEL", -2, WRITE, 1, -1, 1, KeyspaceCommands::del));
    table.accept(new CommandSpec("UNLINK", -2, WRITE, 1, -1, 1, KeyspaceCommands::del));
    table.accept(new CommandSpec("EXISTS", -2, READ, 1, -1, 1, KeyspaceCommands::exists));
    table.accept(new CommandSpec("TYPE", 2, READ, 1, 1, 1, KeyspaceCommands::type));
    table.accept(new CommandSpec("DBSIZE", 1, READ, 0, 0, 0, KeyspaceCommands::dbsize));
    table.accept(new CommandSpec("SCAN", -2, READ, 0, 0, 0, KeyspaceCommands::scan));
    table.accept(new CommandSpec("KEYS", 2, READ, 0, 0, 0,
        (c, s, x) -> new RespPlan.AllKeys(pattern(c.arg(1)))));
  }

  private static RespPlan del(RespCommand c, ConnectionState s, RespContext x) {
    List<KvCommand<?>> deletes = new ArrayList<>(c.size() - 1);
    for (int i = 1; i < c.size(); i++) {
      deletes.add(KvCommand.delete(Args.key(c, i, x.limits())));
    }
    return StringCommands.write(c, deletes,
        (out, o) -> Replies.integer(out, present(o, deletes.size())));
  }

  private static RespPlan exists(RespCommand c, ConnectionState s, RespContext x) {
    List<KvQuery<?>> gets = new ArrayList<>(c.size() - 1);
    for (int i = 1; i < c.size(); i++) {
      gets.add(KvQuery.get(Args.key(c, i, x.limits())));
    }
    return StringCommands.read(c, gets,
        (out, o) -> Replies.integer(out, present(o, gets.size())));
  }

  /** How many of the first {@code n} results hold a value. */
  private static int present(Outcomes o, int n) {
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (o.<Optional<ByteString>>get(i).isPresent()) {
        count++;
      }
    }
    return count;
  }

  private static RespPlan type(RespCommand c, ConnectionState s, RespContext x) {
    return StringCommands.read(c, List.of(KvQuery.get(Args.key(c, 1, x.limits()))),
        (out, o) -> Replies.simple(out,
            o.<Optional<ByteString>>get(0).isPresent() ? "string" : "none"));
  }

  private static RespPlan dbsize(RespCommand c, ConnectionState s, RespContext x) {
    return StringCommands.read(c, List.of(KvQuery.count()),
        (out, o) -> Replies.integer(out, o.<Long>get(0)));
  }

  /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. */
  private static RespPlan scan(RespCommand c, ConnectionState s, RespContext x) {
    long cursor = parseCursor(c.arg(1));
    Optional<ByteString> pattern = Optional.empty();
    long count = DEFAULT_SCAN_COUNT;
    boolean onlyStrings = true;
    for (int i = 2; i < c.size(); i += 2) {
      if (i + 1 >= c.size()) {
        throw RespError.syntax();
      }
      switch (Args.word(c, i)) {
        case "MATCH" -> pattern = pattern(c.arg(i + 1));
        case "COUNT" -> {
          count = Args.integer(c, i + 1);
          if (count < 1) {
            throw RespError.syntax();
          }
        }
        case "TYPE" -> onlyStrings = Args.word(c, i + 1).equals("STRING");
        default -> throw RespError.syntax();
      }
    }
    Optional<ByteString> from = s.resumeCursor(cursor);
    if (from.isEmpty()) {
      throw new RespError("ERR invalid cursor (unknown to this connection, or expired)");
    }
    if (!onlyStrings) {
      return ConnectionCommands.local(out -> scanReply(out, Optional.empty(), List.of(), s));
    }
    KvQuery<?> step = KvQuery.scanKeys(from.get(), (int) Math.min(count, MAX_SCAN_COUNT),
        pattern);
    return StringCommands.read(c, List.of(step), (out, o) -> {
      KeyPage page = o.get(0);
      scanReply(out, page.nextKey(), page.keys(), s);
    });
  }

  private static void scanReply(io.netty.buffer.ByteBuf out, Optional<ByteString> next,
      List<ByteString> keys, ConnectionState s) {
    Replies.arrayHeader(out, 2);
    Replies.bulk(out, Long.toString(next.map(s::openCursor).orElse(0L)));
    Replies.arrayHeader(out, keys.size());
    for (ByteString key : keys) {
      Replies.bulk(out, key);
    }
  }

  private static long parseCursor(byte[] text) {
    try {
      long cursor = Long.parseUnsignedLong(new String(text,
          java.nio.charset.StandardCharsets.ISO_8859_1));
      if (cursor >= 0) {
        return cursor;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new RespError("ERR invalid cursor");
  }

  /** No pattern for "*", which matches every key. */
  private static Optional<ByteString> pattern(byte[] glob) {
    return glob.length == 1 && glob[0] == '*' ? Optional.empty()
        : Optional.of(ByteString.copyOf(glob));
  }
}
