package io.raftdb.core.storage.chronicle;

import io.raftdb.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the JVM for Chronicle Queue and checks that it can run it, before any Chronicle class
 * is initialised. This class must never import a Chronicle type: its whole point is to run first.
 *
 * <p>Chronicle needs three JVM flags ({@link #REQUIRED_JVM_FLAGS}). Without them it fails deep
 * inside with an {@code AssertionError}; with only some of them it can silently open the queue
 * read-only. {@link #checkJvmFlags()} turns both into one clear error that lists the exact flags.
 *
 * <p>Thread-safe.
 */
public final class ChronicleEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleEnvironment.class);

  /** Lets Chronicle reach {@code AccessibleObject.setAccessible0}, from which it opens the rest. */
  public static final String ADD_OPENS_REFLECT =
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
  /** Lets Chronicle call {@code FileChannelImpl.map0}: memory-mapping the queue files. */
  public static final String ADD_EXPORTS_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
  /** Lets Chronicle unmap released chunks through the JDK's cleaner (else a stderr warning). */
  public static final String ADD_EXPORTS_REF =
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
  /** JDK 24 and later: lets jffi load its native stub without a warning. */
  public static final String ENABLE_NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
  /** JDK 24 and later: lets jffi use {@code sun.misc.Unsafe} memory access without a warning. */
  public static final String ALLOW_UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";

  /** The flags every JVM that opens a {@link ChronicleLogStorage} must be started with. */
  public static final List<String> REQUIRED_JVM_FLAGS =
      List.of(ADD_OPENS_REFLECT, ADD_EXPORTS_NIO, ADD_EXPORTS_REF);

  /** Chronicle's analytics switch: no RaftDB process ever phones home. */
  static final String ANALYTICS_DISABLE = "chronicle.analytics.disable";
  /** Chronicle's start-up banner switch. */
  static final String ANNOUNCER_DISABLE = "chronicle.announcer.disable";

  private static final String CHRONICLE_PROBE_CLASS = "net.openhft.chronicle.core.Jvm";

  private static volatile boolean flagsChecked;

  static {
    // Runs when ChronicleLogStorage is first used, before any Chronicle class initialises (they
    // read these properties in their static initialisers). A value given with -D wins.
    setIfAbsent(ANALYTICS_DISABLE, "true");
    setIfAbsent(ANNOUNCER_DISABLE, "true");
    disableChronicleAssertions();
  }

  private ChronicleEnvironment() {}

  /**
   * With Java assertions on (-ea, as under Surefire), Chronicle's {@code CleaningThreadLocal}
   * registers every thread-local it creates in a global set, from inside an {@code assert}, and
   * walks the whole set on each creation. It creates some for every cycle file a reader or writer
   * acquires, so a log thread gets slower without bound (measured: a randomised test stalled in
   * that walk after a few thousand segment switches). Chronicle's own assertions are therefore
   * switched off, before its classes initialise; RaftDB's stay as the JVM was told.
   */
  private static void disableChronicleAssertions() {
    ClassLoader loader = ChronicleEnvironment.class.getClassLoader();
    if (loader != null) {
      loader.setPackageAssertionStatus("net.openhft", false);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Disables Chronicle's analytics, its banner and its own assertions (the static initialiser
   * does the work; calling this makes sure it ran). Call before touching any
   * Chronicle class; harmless to call again.
   */
  public static void prepare() {
    // Nothing more to do: loading this class ran the static initialiser.
  }

  /**
   * Fails fast, with a message naming every missing flag, if this JVM cannot run Chronicle.
   * Cheap after the first call.
   *
   * @throws StorageException if flags are missing or Chronicle is not on the class path
   */
  public static void checkJvmFlags() {
    if (flagsChecked) {
      return;
    }
    List<String> missing = missingJvmFlags();
    if (!missing.isEmpty()) {
      throw new StorageException("this JVM cannot run the Chronicle Queue log: start it with "
          + String.join(" ", missing) + " (all required flags: "
          + String.join(" ", REQUIRED_JVM_FLAGS) + "; see docs/storage.md)");
    }
    warnAboutNoisyNewJdk();
    flagsChecked = true;
  }

  /** The required flags this JVM was not started with; empty when all is well. */
  public static List<String> missingJvmFlags() {
    Module chronicle = chronicleModule();
    Module base = Object.class.getModule();
    String target = chronicle.isNamed() ? chronicle.getName() : "ALL-UNNAMED";
    List<String> missing = new ArrayList<>();
    if (!base.isOpen("java.lang.reflect", chronicle)) {
      missing.add(ADD_OPENS_REFLECT.replace("ALL-UNNAMED", target));
    }
    if (!base.isExported("sun.nio.ch", chronicle)) {
      missing.add(ADD_EXPORTS_NIO.replace("ALL-UNNAMED", target));
    }
    if (!base.isExported("jdk.internal.ref", chronicle)) {
      missing.add(ADD_EXPORTS_REF.replace("ALL-UNNAMED", target));
    }
    return missing;
  }

  private static Module chronicleModule() {
    try {
      // Loading without initialising runs none of Chronicle's static code.
      return Class.forName(CHRONICLE_PROBE_CLASS, false,
          ChronicleEnvironment.class.getClassLoader()).getModule();
    } catch (ClassNotFoundException e) {
      throw new StorageException("Chronicle Queue is not on the class path (need "
          + "net.openhft:chronicle-queue for the persistent log)", e);
    }
  }

  private static void warnAboutNoisyNewJdk() {
    if (Runtime.version().feature() < 24) {
      return;
    }
    List<String> args = java.lang.management.ManagementFactory.getRuntimeMXBean()
        .getInputArguments();
    List<String> absent = new ArrayList<>();
    for (String flag : List.of(ENABLE_NATIVE_ACCESS, ALLOW_UNSAFE_MEMORY_ACCESS)) {
      if (!args.contains(flag)) {
        absent.add(flag);
      }
    }
    if (!absent.isEmpty()) {
      LOG.warn("JDK {} prints warnings for Chronicle Queue's native libraries unless started with {}",
          Runtime.version().feature(), String.join(" ", absent));
    }
  }
}
