package io.agentchat.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every {@code agentchat} command: holds the exit codes, gives data a stdout and
 * diagnostics a stderr, and routes every failure through {@link CommandFailures}, so a command body
 * just returns a code or throws.
 */
public abstract class AgentChatBaseCommand implements Callable<Integer> {
  /** Success. */
  public static final int OK = 0;

  /** The command failed: the server refused, the connection broke, a file could not be used. */
  public static final int FAILURE = 1;

  /** Bad input: an invalid flag, URL, channel name, …; usually caught before connecting. */
  public static final int BAD_INPUT = 2;

  /** Something that should not happen (a bug); the message says what. */
  public static final int UNEXPECTED_STATE = 3;

  @Spec protected CommandSpec spec;

  /** Set when the command runs without picocli ({@link #callWith}). */
  private PrintWriter directOut;

  private PrintWriter directErr;

  /** The command's work; returns an exit code or throws. */
  protected abstract int run() throws Exception;

  @Override
  public final Integer call() {
    try {
      return run();
    } catch (Exception e) {
      return CommandFailures.report(e, err());
    } finally {
      out().flush();
      err().flush();
    }
  }

  /**
   * Runs the command, its options already set, without picocli (see {@link PrimitiveLine}).
   *
   * @return its exit code
   */
  final int callWith(PrintWriter out, PrintWriter err) {
    this.directOut = out;
    this.directErr = err;
    return call();
  }

  /** Where command output (data) goes. */
  protected PrintWriter out() {
    return directOut != null ? directOut : spec.commandLine().getOut();
  }

  /** Where diagnostics go. */
  protected PrintWriter err() {
    return directErr != null ? directErr : spec.commandLine().getErr();
  }
}
