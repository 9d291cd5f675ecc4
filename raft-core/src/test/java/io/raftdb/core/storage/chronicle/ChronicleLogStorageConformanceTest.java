package io.raftdb.core.storage.chronicle;

import io.raftdb.core.storage.LogStorageConformanceTest;
import io.raftdb.storage.LogStorage;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared {@link LogStorage} contract, run against {@link ChronicleLogStorage} with small
 * blocks and small, randomly sized segments so that rolls, truncations across segments and
 * compaction of whole files all happen often. Each seed also picks full or last-record
 * verification for its reopens.
 */
class ChronicleLogStorageConformanceTest extends LogStorageConformanceTest {
  @TempDir
  Path tempDir;

  private final Map<LogStorage, ChronicleLogStorageBuilder> builders = new IdentityHashMap<>();
  private int logs;

  @Override
  protected LogStorage openEmpty(Random random) {
    ChronicleLogStorageBuilder builder = ChronicleLogStorage.builder(tempDir.resolve("log" + logs++))
        .blockSize(1 << 20)
        .segmentMaxEntries(5 + random.nextInt(150))
        .verifyAllRecordsOnOpen(random.nextBoolean());
    return remember(builder.open(), builder);
  }

  @Override
  protected LogStorage reopen(LogStorage store) {
    store.close();
    ChronicleLogStorageBuilder builder = builders.remove(store);
    return remember(builder.open(), builder);
  }

  private LogStorage remember(ChronicleLogStorage store, ChronicleLogStorageBuilder builder) {
    builders.put(store, builder);
    return store;
  }

  @Override
  protected boolean reopenKeepsUnsyncedWrites() {
    return true; // the page cache holds them: only a power loss could take them
  }

  @Override
  protected int defaultSeeds() {
    return 12; // about 0.3 s each; raise with -Draftdb.storage.seeds for a soak
  }

  @Override
  protected int defaultOpsPerSeed() {
    return 1000;
  }
}
