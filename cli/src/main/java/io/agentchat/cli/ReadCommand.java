package io.agentchat.cli;

import io.agentchat.client.daemon.InboxReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat read}: shows inbox messages without marking them read. */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    description =
        "Print the inbox's messages since the last wait/poll/check (or all kept ones with"
            + " --all) without marking them read.")
final class ReadCommand extends InboxCommand {
  /** Messages {@code read} shows unless told otherwise. */
  static final String DEFAULT_LIMIT = "50";

  @Option(names = "--all", description = "Every message the inbox keeps, not just the unread ones.")
  boolean all;

  @Option(names = "--replay", description = "Include replayed history.")
  boolean replay;

  @Option(names = "--own", description = "Include your own messages.")
  boolean own;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = DEFAULT_LIMIT,
      description = "At most the last N messages (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  protected int run() throws Exception {
    if (limit < 1) {
      throw CommandExit.badInput("--limit must be at least 1");
    }
    print(new InboxReader(files()).peek(new InboxReader.Filter(own, replay, false), all, limit));
    return OK;
  }
}
