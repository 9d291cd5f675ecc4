package io.raftdb.core.runtime;

import io.raftdb.StateMachine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A replicated counter: each command is a delta (8 bytes), its result the new total; a query
 * answers the total. It records every command it applies and the threads that call it.
 * Applying {@link #POISON} throws, as a buggy state machine would; {@link #hold()} makes it wait
 * before applying, so that a test can act while a command is committed but not yet applied.
 */
class CounterStateMachine implements StateMachine {
  /** A delta whose application throws. */
  static final long POISON = Long.MIN_VALUE;

  private long total;
  private final List<long[]> applied = new ArrayList<>();
  private final Set<String> threads = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch gate;

  static byte[] encode(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long decode(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    threads.add(Thread.currentThread().getName());
    awaitGate();
    long delta = decode(command);
    if (delta == POISON) {
      throw new IllegalStateException("poisoned command at index " + index);
    }
    total += delta;
    synchronized (applied) {
      applied.add(new long[] {index, delta});
    }
    return encode(total);
  }

  @Override
  public byte[] query(byte[] query) {
    threads.add(Thread.currentThread().getName());
    return encode(total);
  }

  /** Makes every application wait until {@link #release()} (at most 30 s). */
  void hold() {
    gate = new CountDownLatch(1);
  }

  /** Lets held applications go on. */
  void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  private void awaitGate() {
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The (index, delta) pairs applied so far, in order. */
  List<long[]> applied() {
    synchronized (applied) {
      return List.copyOf(applied);
    }
  }

  /** How many commands were applied. */
  int appliedCount() {
    synchronized (applied) {
      return applied.size();
    }
  }

  /** The names of the threads that called this state machine. */
  Set<String> callingThreads() {
    return Set.copyOf(threads);
  }
}
