package io.agentchat.cli;

import io.agentchat.client.daemon.InboxReader;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat check}: the messages new since the last check; moves the cursor past them. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Print the messages that arrived since the last wait/poll/check and mark them read;"
            + " says \"No new messages\" on stderr when there are none.")
final class CheckCommand extends InboxCommand {
  @Option(names = "--replay", description = "Include replayed history.")
  boolean replay;

  @Option(names = "--own", description = "Include your own messages.")
  boolean own;

  @Override
  protected int run() throws Exception {
    List<String> lines = new InboxReader(files()).take(new InboxReader.Filter(own, replay, false));
    if (lines.isEmpty()) {
      err().println("No new messages");
    }
    print(lines);
    return OK;
  }
}
