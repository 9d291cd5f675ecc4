package io.raftdb.core.storage.chronicle;

import java.util.Arrays;

/**
 * The terms of the log in memory, as runs: run {@code r} says that entries from
 * {@code starts[r]} up to the next run's start have term {@code terms[r]}. Raft terms never
 * decrease along a log and change only at elections, so a handful of runs cover millions of
 * entries and {@code term(index)} is a binary search that never touches the disk. The first run
 * starts at {@code firstIndex - 1}, the entry a snapshot covers. Not thread-safe.
 */
final class TermRuns {
  private long[] starts = new long[16];
  private long[] terms = new long[16];
  private int size;

  TermRuns(long beforeFirstIndex, long termBeforeFirst) {
    restart(beforeFirstIndex, termBeforeFirst);
  }

  /** Forgets everything: the log now continues after {@code index}, whose term is given. */
  void restart(long index, long term) {
    starts[0] = index;
    terms[0] = term;
    size = 1;
  }

  /** Records that entry {@code index} (the next after the last) has {@code term}. */
  void append(long index, long term) {
    if (term == terms[size - 1]) {
      return;
    }
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      terms = Arrays.copyOf(terms, size * 2);
    }
    starts[size] = index;
    terms[size] = term;
    size++;
  }

  /** The term of {@code index}, which must be at least the first run's start. */
  long term(long index) {
    return terms[runOf(index)];
  }

  /** Forgets entries {@code index} and later. {@code index} must exceed the first run's start. */
  void truncateFrom(long index) {
    while (size > 1 && starts[size - 1] >= index) {
      size--;
    }
  }

  /** Forgets entries before {@code index}, which becomes the first run's start. */
  void dropBefore(long index) {
    int run = runOf(index);
    int keep = size - run;
    System.arraycopy(starts, run, starts, 0, keep);
    System.arraycopy(terms, run, terms, 0, keep);
    size = keep;
    starts[0] = index;
  }

  int runCount() {
    return size;
  }

  private int runOf(long index) {
    int found = Arrays.binarySearch(starts, 0, size, index);
    return found >= 0 ? found : -found - 2;
  }
}
