package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame.ChannelSummary;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat channels}: the relay's public channels. */
@Command(
    name = "channels",
    mixinStandardHelpOptions = true,
    description = "List the public channels and how many agents are in each.")
final class ChannelsCommand extends ConnectingCommand {
  @Option(names = "--json", description = "Print the list as JSON.")
  boolean json;

  @Override
  protected int session(AgentSession client) {
    List<ChannelSummary> channels = client.listChannels().await();
    if (json) {
      out().println(JsonOutput.pretty(channels));
    } else {
      for (ChannelSummary c : channels) {
        out().println("  " + c.name() + " (" + c.agents() + " agents)");
      }
    }
    return OK;
  }
}
