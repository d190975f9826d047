package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code agentchat currencies}: the currencies a server accepts in proposals. */
@Command(
    name = "currencies",
    mixinStandardHelpOptions = true,
    description =
        "List the currencies a server accepts in proposals, and how it checks each: a ledger it"
            + " keeps (TEST) or payments on a chain.")
final class CurrenciesCommand extends AgentChatBaseCommand {
  @Mixin ServerOption server;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  protected int run() {
    JsonNode answer = server.api().currencies();
    if (json) {
      out().println(JsonOutput.pretty(answer));
      return OK;
    }
    JsonNode adapters = answer.path("adapters");
    if (adapters.isEmpty()) {
      out().println("This server checks no currency: proposals' currencies are labels");
      return OK;
    }
    TextTable table = new TextTable("CODE", "KIND", "ADAPTER", "DETAILS");
    for (JsonNode a : adapters) {
      for (JsonNode code : a.path("codes")) {
        table.row(code.asText(), a.path("kind").asText(), a.path("name").asText(), details(a));
      }
    }
    table.print(out());
    return OK;
  }

  private static String details(JsonNode a) {
    if (a.has("chain_id")) {
      return "chain "
          + a.get("chain_id").asText()
          + ", "
          + a.path("confirmations").asText("1")
          + " confirmation(s)";
    }
    if (a.has("faucet")) {
      return "new agents start with " + a.get("faucet").asText();
    }
    return "";
  }
}
