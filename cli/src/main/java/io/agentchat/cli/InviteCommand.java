package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code agentchat invite}: lets an agent into an invite-only channel. */
@Command(
    name = "invite",
    mixinStandardHelpOptions = true,
    description = "Invite an agent to a channel you can join.")
final class InviteCommand extends ConnectingCommand {
  @Parameters(index = "1", paramLabel = "CHANNEL", description = "The #channel.")
  String channel;

  @Parameters(index = "2", paramLabel = "AGENT", description = "The agent's id (@ optional).")
  String agent;

  @Override
  protected void validate() {
    requireChannel(channel);
    agent = requireAgent(agent);
  }

  @Override
  protected int session(AgentSession client) {
    // Only members may invite; joining also proves this identity may enter the channel.
    client.join(channel).await();
    client.invite(channel, agent).await();
    out().println("Invited " + agent + " to " + channel);
    return OK;
  }
}
