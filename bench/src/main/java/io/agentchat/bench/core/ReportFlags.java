package io.agentchat.bench.core;

import picocli.CommandLine.Option;

/**
 * The flags that say how a load-generator command prints: the report as text or JSON, progress or
 * none. A picocli mixin, so that both commands offer them alike; each command places it where the
 * flags belong in its help.
 */
public final class ReportFlags {
  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress lines on stderr.")
  boolean quiet;

  /** True to print the report as one JSON object instead of text. */
  public boolean json() {
    return json;
  }

  /** True to write no progress lines. */
  public boolean quiet() {
    return quiet;
  }
}
