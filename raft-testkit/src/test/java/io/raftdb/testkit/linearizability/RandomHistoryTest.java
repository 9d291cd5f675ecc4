package io.raftdb.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.testkit.linearizability.KvModel.Input;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Histories made by a real store: concurrent clients whose operations each take effect at a
 * random moment inside their interval. They are linearizable by construction; one corrupted read
 * makes them not.
 */
class RandomHistoryTest {
  private static final int CLIENTS = 7;
  private static final int OPERATIONS = 5_000;
  private static final int KEYS = 10;
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private record Timed(Operation<Input, String> op, long effectAt, boolean takesEffect) {}

  private static List<Operation<Input, String>> history(long seed) {
    Random random = new Random(seed);
    long[] clientTime = new long[CLIENTS];
    List<Timed> timed = new ArrayList<>();
    for (int i = 0; i < OPERATIONS; i++) {
      int client = random.nextInt(CLIENTS);
      long call = clientTime[client] + random.nextInt(5);
      long ret = call + 1 + random.nextInt(20);
      String key = "k" + random.nextInt(KEYS);
      Input input = switch (random.nextInt(3)) {
        case 0 -> Input.get(key);
        case 1 -> Input.put(key, "p" + i);
        default -> Input.append(key, "a" + i);
      };
      long effectAt = call + random.nextInt((int) (ret - call) + 1);
      boolean lost = input.kind() != KvModel.Kind.GET && random.nextInt(100) == 0;
      timed.add(new Timed(lost ? Operation.unknown(client, input, call)
          : Operation.completed(client, input, null, call, ret), effectAt,
          !lost || random.nextBoolean()));
      clientTime[client] = ret + 1; // a lost call leaves its client free to go on
    }
    // Apply in effect order to learn what each read saw.
    List<Timed> byEffect = new ArrayList<>(timed);
    byEffect.sort(Comparator.comparingLong(Timed::effectAt));
    Map<String, String> store = new HashMap<>();
    Map<Timed, String> seen = new HashMap<>();
    for (Timed t : byEffect) {
      Input in = t.op().input();
      switch (in.kind()) {
        case GET -> seen.put(t, store.getOrDefault(in.key(), ""));
        case PUT -> {
          if (t.takesEffect()) {
            store.put(in.key(), in.value());
          }
        }
        case APPEND -> {
          if (t.takesEffect()) {
            store.merge(in.key(), in.value(), String::concat);
          }
        }
      }
    }
    List<Operation<Input, String>> history = new ArrayList<>();
    for (Timed t : timed) {
      Operation<Input, String> op = t.op();
      history.add(op.outcomeKnown() ? Operation.completed(op.clientId(), op.input(),
          op.input().kind() == KvModel.Kind.GET ? seen.get(t) : "", op.callNanos(),
          op.returnNanos()) : op);
    }
    return history;
  }

  @Test
  void historiesOfARealStoreAreLinearizable() {
    for (long seed = 1; seed <= 5; seed++) {
      CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history(seed), LIMIT);
      assertEquals(Verdict.LINEARIZABLE, r.verdict(), "seed " + seed + ": " + r.explanation());
    }
  }

  @Test
  void oneCorruptedReadMakesThemNotLinearizable() {
    for (long seed = 1; seed <= 5; seed++) {
      List<Operation<Input, String>> history = history(seed);
      int victim = history.size() / 2;
      while (history.get(victim).input().kind() != KvModel.Kind.GET) {
        victim++;
      }
      Operation<Input, String> read = history.get(victim);
      history.set(victim, Operation.completed(read.clientId(), read.input(),
          read.output() + "!", read.callNanos(), read.returnNanos()));
      CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history, LIMIT);
      assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), "seed " + seed);
    }
  }
}
