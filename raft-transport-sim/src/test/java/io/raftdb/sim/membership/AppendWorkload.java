package io.raftdb.sim.membership;

import io.raftdb.NotLeaderException;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.testkit.linearizability.CheckResult;
import io.raftdb.testkit.linearizability.KvModel;
import io.raftdb.testkit.linearizability.LinearizabilityChecker;
import io.raftdb.testkit.linearizability.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that append to a few keys through whichever node leads, and read them back
 * linearizably, while a scenario changes the membership; the history is checked with the
 * testkit's linearizability checker. An append whose outcome is unknown (a timeout, the leader
 * lost) is recorded as such and never retried with the same value.
 */
final class AppendWorkload implements AutoCloseable {
  private static final int CLIENTS = 3;
  private static final String[] KEYS = {"a", "b", "c"};

  private final SimGroup group;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Operation<KvModel.Input, String>> history = new ArrayList<>();
  private final AtomicLong acknowledged = new AtomicLong();

  AppendWorkload(SimGroup group) {
    this.group = group;
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread t = new Thread(() -> run(client), "append-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Appends acknowledged so far. */
  long acknowledged() {
    return acknowledged.get();
  }

  private void run(int client) {
    for (int n = 0; !stop.get(); n++) {
      String key = KEYS[n % KEYS.length];
      if (n % 4 == 3) {
        read(client, key);
      } else {
        append(client, key, "c" + client + "-" + n + ";");
      }
    }
  }

  private void append(int client, String key, String value) {
    Optional<RaftNode> leader = group.currentLeader();
    if (leader.isEmpty()) {
      pause();
      return;
    }
    KvModel.Input input = KvModel.Input.append(key, value);
    long call = System.nanoTime();
    try {
      leader.get().submit(AppendMachine.append(key, value)).get(5, TimeUnit.SECONDS);
      record(Operation.completed(client, input, "", call, System.nanoTime()));
      acknowledged.incrementAndGet();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NotLeaderException) {
        pause(); // refused before it was appended: it never happened
      } else {
        record(Operation.unknown(client, input, call));
      }
    } catch (Exception e) {
      record(Operation.unknown(client, input, call));
    }
  }

  /** Reads {@code key} on the leader; returns whether the read succeeded (and was recorded). */
  private boolean read(int client, String key) {
    Optional<RaftNode> leader = group.currentLeader();
    if (leader.isEmpty()) {
      pause();
      return false;
    }
    long call = System.nanoTime();
    try {
      byte[] value = leader.get().query(key.getBytes(StandardCharsets.UTF_8),
          ReadConsistency.LINEARIZABLE).get(5, TimeUnit.SECONDS);
      record(Operation.completed(client, KvModel.Input.get(key),
          new String(value, StandardCharsets.UTF_8), call, System.nanoTime()));
      return true;
    } catch (Exception e) {
      pause(); // a read of unknown outcome constrains nothing
      return false;
    }
  }

  private synchronized void record(Operation<KvModel.Input, String> op) {
    history.add(op);
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the clients, reads every key once more (so that an acknowledged append that was lost
   * shows), and checks the whole history.
   */
  CheckResult stopAndCheck() throws Exception {
    close();
    long deadline = System.nanoTime() + SimGroup.WAIT.toNanos();
    for (String key : KEYS) {
      while (!read(CLIENTS, key)) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("no final read of " + key + " succeeded within "
              + SimGroup.WAIT);
        }
      }
    }
    List<Operation<KvModel.Input, String>> ops;
    synchronized (this) {
      ops = List.copyOf(history);
    }
    return LinearizabilityChecker.check(KvModel.INSTANCE, ops, Duration.ofSeconds(60));
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
  }
}
