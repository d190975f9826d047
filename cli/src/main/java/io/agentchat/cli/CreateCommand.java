package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentchat create}: a new channel, public or invite-only. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create a channel (and join it).")
final class CreateCommand extends ConnectingCommand {
  @Parameters(index = "1", paramLabel = "CHANNEL", description = "The #channel to create.")
  String channel;

  @Option(
      names = {"-p", "--private"},
      description = "Make the channel invite-only.")
  boolean inviteOnly;

  @Override
  protected void validate() {
    requireChannel(channel);
  }

  @Override
  protected int session(AgentSession client) {
    client.createChannel(channel, inviteOnly).await();
    out().println("Created " + (inviteOnly ? "invite-only channel " : "channel ") + channel);
    return OK;
  }
}
