package io.agentchat.bench.core;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;

/**
 * The base of a load-generator command ({@code agentchat bench}, {@code agentchat market-bench}):
 * the server URL, the exit statuses, and one way from a run to output. Progress and diagnostics go
 * to stderr, the report to stdout. Each subclass declares its own flags, with a {@link ReportFlags}
 * mixin among them, so that its help lists them in the order it chose.
 */
public abstract class LoadCommand implements Callable<Integer> {
  /** Exit status: the run completed and the report was printed. */
  public static final int OK = 0;

  /** Exit status: the load could not be set up, or the run measured nothing. */
  public static final int FAILED = 1;

  /** Exit status: invalid options. */
  public static final int BAD_INPUT = 2;

  /** The server to load. */
  @Parameters(
      index = "0",
      paramLabel = "<server-url>",
      description = "Server WebSocket URL, e.g. ws://127.0.0.1:6667")
  protected String url;

  private final String name;

  /**
   * A command called {@code name}, the prefix of every line it writes to stderr.
   *
   * @param name the subcommand's name, e.g. {@code bench}
   */
  protected LoadCommand(String name) {
    this.name = name;
  }

  /** One run of the generator, writing its progress to the stream it is given (null: none). */
  @FunctionalInterface
  protected interface Measurement {
    /**
     * Builds the options from the flags and runs.
     *
     * @throws IllegalArgumentException for invalid flags (exit status {@link #BAD_INPUT})
     * @throws LoadFailure when the load could not be set up (exit status {@link #FAILED})
     */
    LoadReport run(PrintStream progress) throws LoadFailure, InterruptedException;
  }

  /**
   * Runs {@code measurement} and prints its report as {@code flags} say.
   *
   * @return the exit status
   */
  protected final int measure(ReportFlags flags, Measurement measurement)
      throws InterruptedException {
    PrintStream err = System.err;
    LoadReport report;
    try {
      report = measurement.run(flags.quiet() ? null : err);
    } catch (LoadFailure e) {
      err.println(name + ": " + e.getMessage());
      return FAILED;
    } catch (IllegalArgumentException e) {
      err.println(name + ": " + e.getMessage());
      return BAD_INPUT;
    } catch (RuntimeException e) {
      err.println(name + ": failed: " + LoadFailure.describe(e));
      return FAILED;
    }
    PrintStream out = System.out;
    out.print(flags.json() ? report.toJson().encode() + "\n" : report.toText());
    out.flush();
    String shortfall = report.shortfall();
    if (shortfall != null) {
      err.println(name + ": " + shortfall);
      return FAILED;
    }
    return OK;
  }

  /**
   * A flag's seconds as a duration, to the millisecond.
   *
   * @throws IllegalArgumentException naming the flag when the value is negative, NaN or over a week
   */
  protected static Duration seconds(double value, String flag) {
    if (value < 0 || Double.isNaN(value) || value > 7 * 24 * 3600) {
      throw new IllegalArgumentException(flag + " must be 0 or more seconds, got " + value);
    }
    return Duration.ofMillis(Math.round(value * 1000));
  }
}
