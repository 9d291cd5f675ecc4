package io.raftdb.core.storage.snapshot;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How snapshot files are named in their directory: {@code snapshot-<index>-<term>.snap} when
 * complete, and {@code snapshot-<index>-<term>.<n>.tmp} while being written or received (unique
 * per store, so a save and a transfer of the same snapshot never share a file). A temporary file
 * found when a store opens is the remains of a crash.
 */
final class SnapshotFileNames {
  private static final String PREFIX = "snapshot-";
  private static final String SUFFIX = ".snap";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final Pattern COMPLETE =
      Pattern.compile("snapshot-(\\d{1,19})-(\\d{1,19})\\.snap");

  /** The index and term that a complete file's name states. */
  record NamedSnapshot(long index, long term) {}

  private SnapshotFileNames() {}

  static String complete(long index, long term) {
    return PREFIX + index + "-" + term + SUFFIX;
  }

  static String temporary(long index, long term, long unique) {
    return PREFIX + index + "-" + term + "." + unique + TEMP_SUFFIX;
  }

  static boolean isTemporary(String fileName) {
    return fileName.startsWith(PREFIX) && fileName.endsWith(TEMP_SUFFIX);
  }

  /** Whether the name looks like one of ours, complete or not, so that it may be reported. */
  static boolean isSnapshotLike(String fileName) {
    return fileName.startsWith(PREFIX) && fileName.endsWith(SUFFIX);
  }

  /** The index and term in a complete file's name, if it is a well-formed one. */
  static Optional<NamedSnapshot> parse(String fileName) {
    Matcher m = COMPLETE.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new NamedSnapshot(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
    } catch (NumberFormatException e) {
      return Optional.empty(); // 19 digits beyond Long.MAX_VALUE
    }
  }
}
