package io.raftdb.core.storage.chronicle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test's main class in a child JVM with this JVM's class path, like a real server. */
final class ChildJvm {
  private ChildJvm() {}

  /** The flags a RaftDB JVM needs for Chronicle on the running JDK. */
  static List<String> chronicleFlags() {
    List<String> flags = new ArrayList<>(ChronicleEnvironment.REQUIRED_JVM_FLAGS);
    if (Runtime.version().feature() >= 24) {
      flags.add(ChronicleEnvironment.ENABLE_NATIVE_ACCESS);
      flags.add(ChronicleEnvironment.ALLOW_UNSAFE_MEMORY_ACCESS);
    }
    return flags;
  }

  /**
   * Starts {@code mainClass} with {@code jvmFlags}, its stdout and stderr going to files. A file,
   * unlike a pipe, keeps every line the child wrote before it was killed, with no reader racing
   * the JDK's pipe draining at process exit.
   */
  static Process start(List<String> jvmFlags, Class<?> mainClass, Path stdoutFile,
      Path stderrFile, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1"); // a short-lived child: start fast
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx256m");
    command.addAll(jvmFlags);
    command.add("-Dorg.slf4j.simpleLogger.log.net.openhft=warn");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(stdoutFile.toFile())
        .redirectError(stderrFile.toFile())
        .start();
  }
}
