package io.agentchat.bench.core;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Where a run reports its phases: one line each, prefixed with the command's name, on stderr so
 * that stdout carries only the report.
 *
 * @param command the prefix, e.g. {@code bench}
 * @param out the stream, or null for a quiet run
 */
public record Progress(String command, PrintStream out) {

  /** Writes one line, formatted with {@link Locale#ROOT}; nothing when the run is quiet. */
  public void say(String format, Object... args) {
    if (out != null) {
      out.println(command + ": " + String.format(Locale.ROOT, format, args));
      out.flush();
    }
  }
}
