package io.agentchat.cli;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/** Runs {@code agentchat} in-process, as its main method would, with stdout and stderr captured. */
final class CliRun {
  final CapturedOutput out = new CapturedOutput();
  final CapturedOutput err = new CapturedOutput();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final String[] args;

  private CliRun(String... args) {
    this.args = args;
  }

  /** The outcome of a finished run. */
  record Result(int exitCode, String out, String err) {}

  /** Runs the command to completion. */
  static Result run(String... args) {
    CliRun run = new CliRun(args);
    int code = run.execute();
    return new Result(code, run.out.text(), run.err.text());
  }

  /** Starts the command on another thread; its output can be watched while it runs. */
  static CliRun inBackground(String... args) {
    CliRun run = new CliRun(args);
    Thread thread = new Thread(() -> run.exitCode.complete(run.execute()), "cli-" + args[0]);
    thread.setDaemon(true);
    thread.start();
    return run;
  }

  /** Completes with the exit code once a background run returns. */
  CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  private int execute() {
    PrintWriter stdout = new PrintWriter(out, true);
    PrintWriter stderr = new PrintWriter(err, true);
    // As main does: the primitives' own parser first, picocli for everything else.
    Integer primitive = PrimitiveLine.run(args, stdout, stderr);
    if (primitive != null) {
      return primitive;
    }
    return new CommandLine(new AgentChatCommand()).setOut(stdout).setErr(stderr).execute(args);
  }
}
