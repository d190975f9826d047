package io.agentchat.cli;

import io.agentchat.client.daemon.InboxReader;
import picocli.CommandLine.Command;

/** {@code agentchat poll}: prints what is new and returns at once; silent when nothing is. */
@Command(
    name = "poll",
    mixinStandardHelpOptions = true,
    description =
        "Print the messages that arrived since the last wait/poll/check and return at once;"
            + " prints nothing when there are none. Fit for a hook that runs every turn.")
final class PollCommand extends InboxCommand {
  @Override
  protected int run() throws Exception {
    print(new InboxReader(files()).take(InboxReader.Filter.MESSAGES));
    return OK;
  }
}
