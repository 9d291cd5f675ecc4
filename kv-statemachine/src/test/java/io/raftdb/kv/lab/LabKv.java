package io.raftdb.kv.lab;

import io.raftdb.RaftClient;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvClient;
import io.raftdb.kv.KvStateMachine;
import io.raftdb.testkit.linearizability.KvModel;
import java.util.function.Supplier;

/**
 * The labs' kvraft service on RaftDB: the server is the {@link KvStateMachine} plugin, and the
 * labs' {@code Clerk} ({@code Get}, {@code Put}, {@code Append} on strings, a missing key read as
 * "") is a thin layer over {@link KvClient}. The labs' clerk retries until it succeeds; here the
 * {@link RaftClient} underneath does the retrying, exactly once, within its call deadline, which
 * the lab cluster sets far beyond any test's partitions.
 */
final class LabKv {
  private LabKv() {}

  static KvStateMachine newStateMachine() {
    return new KvStateMachine();
  }

  /** A clerk on {@code client} that records its operations into {@code history} if not null. */
  static Clerk clerk(RaftClient client, LabHistory history, int clientId) {
    return new Clerk(KvClient.of(client), history, clientId);
  }

  /** The labs' clerk. Calls block until done; a failure (a deadline passed) fails the test. */
  static final class Clerk {
    private final KvClient kv;
    private final LabHistory history;
    private final int clientId;

    private Clerk(KvClient kv, LabHistory history, int clientId) {
      this.kv = kv;
      this.history = history;
      this.clientId = clientId;
    }

    String get(String key) {
      return record(KvModel.Input.get(key),
          () -> kv.get(bytes(key)).map(ByteString::toStringUtf8).orElse(""));
    }

    void put(String key, String value) {
      record(KvModel.Input.put(key, value), () -> {
        kv.put(bytes(key), bytes(value));
        return "";
      });
    }

    void append(String key, String value) {
      record(KvModel.Input.append(key, value), () -> {
        kv.append(bytes(key), bytes(value));
        return "";
      });
    }

    private String record(KvModel.Input input, Supplier<String> call) {
      long start = System.nanoTime();
      String output;
      try {
        output = call.get();
      } catch (RuntimeException e) {
        if (history != null) {
          history.unknown(clientId, input, start);
        }
        throw new AssertionError("clerk " + clientId + ": " + input + " failed", e);
      }
      if (history != null) {
        history.completed(clientId, input, output, start, System.nanoTime());
      }
      return output;
    }
  }

  private static ByteString bytes(String s) {
    return ByteString.utf8(s);
  }

}
