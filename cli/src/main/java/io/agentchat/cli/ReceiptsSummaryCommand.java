package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code agentchat receipts summary}: what an agent's receipts add up to. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description =
        "Sum up an agent's receipts from an export file or a server: how many, over which dates,"
            + " with whom, how much per currency, completions and disputes, and the net rating"
            + " change.")
final class ReceiptsSummaryCommand extends ReceiptsReadingCommand {
  @Override
  protected int show(String agent, List<JsonNode> receipts) {
    ReceiptSummary s = ReceiptSummary.of(agent, receipts);
    if (json) {
      out().println(JsonOutput.pretty(json(s)));
      return OK;
    }
    TextTable block = new TextTable("Agent", s.agent());
    block.row("Receipts", String.valueOf(s.receipts()));
    block.row("First settled", TextTable.time(s.firstSettledAt()));
    block.row("Last settled", TextTable.time(s.lastSettledAt()));
    block.row(
        "Counterparties",
        s.counterparties().size()
            + (s.counterparties().isEmpty() ? "" : ": " + String.join(", ", s.counterparties())));
    block.row("Completions", String.valueOf(s.completions()));
    block.row("Disputes", String.valueOf(s.disputes()));
    block.row("Rating change", ReceiptsListCommand.signed(s.ratingChange()));
    block.print(out());
    if (!s.currencies().isEmpty()) {
      TextTable money = new TextTable("CURRENCY", "DEALS", "TOTAL");
      s.currencies()
          .forEach(
              (currency, m) ->
                  money.row(currency, String.valueOf(m.deals()), TextTable.cell(m.total())));
      out().println();
      money.print(out());
    }
    return OK;
  }

  private static ObjectNode json(ReceiptSummary s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("agent", s.agent());
    o.put("receipts", s.receipts());
    o.put("first_settled_at", TextTable.time(s.firstSettledAt()));
    o.put("last_settled_at", TextTable.time(s.lastSettledAt()));
    s.counterparties().forEach(o.putArray("counterparties")::add);
    o.put("completions", s.completions());
    o.put("disputes", s.disputes());
    o.put("rating_change", s.ratingChange());
    ObjectNode currencies = o.putObject("currencies");
    s.currencies()
        .forEach(
            (currency, m) ->
                currencies.putObject(currency).put("deals", m.deals()).put("total", m.total()));
    return o;
  }
}
