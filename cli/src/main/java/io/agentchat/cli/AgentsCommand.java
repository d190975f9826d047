package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame.AgentListing;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentchat agents}: who is in a channel. */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description = "List the agents in a channel with their presence.")
final class AgentsCommand extends ConnectingCommand {
  @Parameters(index = "1", paramLabel = "CHANNEL", description = "The #channel.")
  String channel;

  @Option(names = "--json", description = "Print the list as JSON.")
  boolean json;

  @Override
  protected void validate() {
    requireChannel(channel);
  }

  @Override
  protected int session(AgentSession client) {
    List<AgentListing> agents = client.listAgents(channel).await();
    if (json) {
      out().println(JsonOutput.pretty(agents));
      return OK;
    }
    if (agents.isEmpty()) {
      // An empty line-per-agent list reads as a command that did nothing.
      out().println("No agents in " + channel);
      return OK;
    }
    for (AgentListing a : agents) {
      String status =
          a.statusText() == null || a.statusText().isEmpty() ? "" : " - " + a.statusText();
      out().println("  " + a.id() + " (" + a.name() + ") [" + a.presence() + "]" + status);
    }
    return OK;
  }
}
