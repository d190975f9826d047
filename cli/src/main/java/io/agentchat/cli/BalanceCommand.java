package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentchat balance}: an agent's ledger balances on a server. */
@Command(
    name = "balance",
    mixinStandardHelpOptions = true,
    description =
        "Show an agent's ledger balances on a server (default: your identity's agent): what it"
            + " owns, what is held for deals it pays for, and what is available.")
final class BalanceCommand extends AgentChatBaseCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "AGENT",
      description = "The agent's id, with or without @ (default: the identity's).")
  String agent;

  @Mixin ServerOption server;

  @Mixin IdentityOption identity;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  protected int run() {
    JsonNode answer = server.api().balances(identity.agent(agent, "AGENT"));
    if (json) {
      out().println(JsonOutput.pretty(answer));
      return OK;
    }
    JsonNode balances = answer.path("balances");
    if (balances.isEmpty()) {
      out().println("No ledger balances for " + answer.path("id").asText());
      return OK;
    }
    TextTable table = new TextTable("CURRENCY", "BALANCE", "HELD", "AVAILABLE");
    for (JsonNode b : balances) {
      table.row(
          b.path("currency").asText(),
          b.path("balance").asText(),
          b.path("held").asText(),
          b.path("available").asText());
    }
    table.print(out());
    return OK;
  }
}
