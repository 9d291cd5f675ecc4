package io.raftdb.server;

import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvClient;
import io.raftdb.kv.KvEntry;
import io.raftdb.kv.ScanPage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code raftdb put|get|append|delete|scan}: one request each against a running cluster, keys and
 * values as UTF-8 text. Writes are applied exactly once (in a client session); reads are
 * linearizable.
 */
final class KvCommands {
  private KvCommands() {}

  /** What each command does with the store, and prints. */
  abstract static class Base implements Callable<Integer> {
    @Mixin
    ClientOptions client = new ClientOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      try (KvClient kv = client.connect()) {
        return run(kv, spec.commandLine().getOut());
      }
    }

    abstract int run(KvClient kv, PrintWriter out);
  }

  static ByteString bytes(String s) {
    return ByteString.utf8(s);
  }

  @Command(name = "put", mixinStandardHelpOptions = true, description = "Sets a key's value.")
  static final class Put extends Base {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1", paramLabel = "VALUE") String value;

    @Override
    int run(KvClient kv, PrintWriter out) {
      kv.put(bytes(key), bytes(value));
      out.println("OK");
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Prints a key's value; exit status 1 if it has none.")
  static final class Get extends Base {
    @Parameters(index = "0", paramLabel = "KEY") String key;

    @Override
    int run(KvClient kv, PrintWriter out) {
      var value = kv.get(bytes(key));
      value.ifPresentOrElse(v -> out.println(v.toStringUtf8()), () -> out.println("(nil)"));
      return value.isPresent() ? 0 : 1;
    }
  }

  @Command(name = "append", mixinStandardHelpOptions = true,
      description = "Appends to a key's value; prints the new length.")
  static final class Append extends Base {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1", paramLabel = "VALUE") String value;

    @Override
    int run(KvClient kv, PrintWriter out) {
      out.println(kv.append(bytes(key), bytes(value)));
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Removes a key; exit status 1 if it had no value.")
  static final class Delete extends Base {
    @Parameters(index = "0", paramLabel = "KEY") String key;

    @Override
    int run(KvClient kv, PrintWriter out) {
      boolean existed = kv.delete(bytes(key)).isPresent();
      out.println(existed ? "deleted" : "(nil)");
      return existed ? 0 : 1;
    }
  }

  @Command(name = "scan", mixinStandardHelpOptions = true,
      description = "Prints keys and values in key order from FROM (default: the first key).")
  static final class Scan extends Base {
    @Parameters(index = "0", paramLabel = "FROM", defaultValue = "") String from;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many entries.")
    int limit;

    @Override
    int run(KvClient kv, PrintWriter out) {
      if (limit < 1) {
        throw new IllegalArgumentException("--limit must be at least 1");
      }
      ScanPage page = kv.scan(bytes(from), limit);
      for (KvEntry e : page.entries()) {
        out.println(e.key().toStringUtf8() + "\t" + e.value().toStringUtf8());
      }
      page.nextKey().ifPresent(k -> out.println("... more from " + k.toStringUtf8()));
      return 0;
    }
  }
}
