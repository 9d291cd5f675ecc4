package io.raftdb.core.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up self-test (issue 3, item 4): a JVM without Chronicle's flags fails at once with a
 * message listing exactly the missing flags, instead of an AssertionError deep in Chronicle or a
 * queue silently opened read-only. Each case runs a real child JVM.
 */
class ChronicleFlagsSelfTest {
  @TempDir
  Path dir;

  private record Outcome(int exitCode, String stdout, String stderr) {}

  private Outcome run(List<String> flags) throws Exception {
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    Process child = ChildJvm.start(flags, OpenLogMain.class, stdout, stderr,
        dir.resolve("log").toString());
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
    return new Outcome(child.exitValue(), Files.readString(stdout), Files.readString(stderr));
  }

  @Test
  void withoutAnyFlagTheStartFailsListingAllThreeFlags() throws Exception {
    Outcome outcome = run(List.of());
    assertEquals(3, outcome.exitCode(), outcome.toString());
    for (String flag : ChronicleEnvironment.REQUIRED_JVM_FLAGS) {
      assertTrue(outcome.stdout().contains(flag), flag + " missing from: " + outcome.stdout());
    }
    assertFalse(outcome.stderr().contains("AssertionError"), outcome.stderr());
  }

  @Test
  void withOnlySomeFlagsTheStartFailsListingTheOthersInsteadOfOpeningReadOnly()
      throws Exception {
    Outcome outcome = run(List.of(ChronicleEnvironment.ADD_OPENS_REFLECT));
    assertEquals(3, outcome.exitCode(), outcome.toString());
    String missing = outcome.stdout().substring(0, outcome.stdout().indexOf("(all required"));
    assertTrue(missing.contains(ChronicleEnvironment.ADD_EXPORTS_NIO), outcome.stdout());
    assertTrue(missing.contains(ChronicleEnvironment.ADD_EXPORTS_REF), outcome.stdout());
    assertFalse(missing.contains(ChronicleEnvironment.ADD_OPENS_REFLECT), outcome.stdout());
    assertFalse(Files.exists(dir.resolve("log").resolve("metadata.cq4t")),
        "no queue may be created before the check passes");
  }

  @Test
  void withTheFlagsTheLogOpensAndTakesAWrite() throws Exception {
    Outcome outcome = run(ChildJvm.chronicleFlags());
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertTrue(outcome.stdout().startsWith("OK 1"), outcome.stdout());
    assertFalse(outcome.stderr().contains("WARN"), "noisy start: " + outcome.stderr());
  }
}
