package io.raftdb.server;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code raftdb}: the one entry point of the key-value server and its command line. Bad flags and
 * refusals end with one clear line on standard error and a non-zero status.
 */
@Command(name = "raftdb", mixinStandardHelpOptions = true, version = "RaftDB 0.1.0",
    description = "A replicated key-value store on Raft.",
    subcommands = {ServerCommand.class, ClusterCommand.class, KvCommands.Put.class,
        KvCommands.Get.class, KvCommands.Append.class, KvCommands.Delete.class,
        KvCommands.Scan.class, StatusCommand.class, MembersCommand.class})
public final class RaftDbCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its status. */
  static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** As {@link #run(String...)}, printing to {@code out} and {@code err}. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new RaftDbCli()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      commandLine.getErr().println("raftdb " + commandLine.getCommandName() + ": "
          + describe(e));
      return 2;
    });
    return cli.execute(args);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
