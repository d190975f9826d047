package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code agentchat receipts list}: one line per receipt of an agent. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List an agent's receipts, oldest first, from an export file or a server: sequence,"
            + " type, proposal, counterparty, the agent's rating change and when it settled.")
final class ReceiptsListCommand extends ReceiptsReadingCommand {
  @Override
  protected int show(String agent, List<JsonNode> receipts) {
    if (json) {
      ArrayNode list = JsonNodeFactory.instance.arrayNode();
      for (JsonNode r : receipts) {
        list.addObject()
            .put("seq", r.path("seq").asLong())
            .put("type", r.path("type").asText())
            .put("settlement", r.path("settlement").asText(null))
            .put("proposal_id", r.path("proposal_id").asText())
            .put("counterparty", ReceiptSummary.counterparty(r, agent))
            .put("change", ReceiptSummary.change(r, agent))
            .put("settled_at", TextTable.time(r.path("settled_at").asLong()));
      }
      out().println(JsonOutput.pretty(list));
      return OK;
    }
    if (receipts.isEmpty()) {
      out().println("No receipts of " + agent);
      return OK;
    }
    TextTable table = new TextTable("SEQ", "TYPE", "PROPOSAL", "COUNTERPARTY", "CHANGE", "SETTLED");
    for (JsonNode r : receipts) {
      String type = r.path("type").asText();
      if (r.path("settlement").isTextual()) {
        type += " (" + r.get("settlement").asText() + ")";
      }
      table.row(
          TextTable.cell(r.get("seq")),
          type,
          TextTable.cell(r.get("proposal_id")),
          ReceiptSummary.counterparty(r, agent),
          signed(ReceiptSummary.change(r, agent)),
          TextTable.time(r.path("settled_at").asLong()));
    }
    table.print(out());
    return OK;
  }

  /** A change with its sign: {@code +8}, {@code -16}, {@code 0}; null when none was recorded. */
  static String signed(Long change) {
    return change == null ? null : change > 0 ? "+" + change : change.toString();
  }
}
