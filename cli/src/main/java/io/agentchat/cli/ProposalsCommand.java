package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentChatClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat proposals}: this agent's proposals, sent and received, newest first. */
@Command(
    name = "proposals",
    mixinStandardHelpOptions = true,
    description = "List your proposals, sent and received, newest first. Needs an identity.")
final class ProposalsCommand extends ConnectingCommand {
  static final List<String> STATUSES =
      List.of("pending", "accepted", "rejected", "completed", "disputed", "expired");
  private static final int TASK_WIDTH = 40;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description =
          "Only this status: pending, accepted, rejected, completed, disputed or" + " expired.")
  String status;

  @Option(
      names = {"-l", "--limit"},
      paramLabel = "N",
      description = "At most N proposals (server default: 100).")
  Integer limit;

  @Option(names = "--json", description = "Print the list as JSON.")
  boolean json;

  @Override
  protected void validate() {
    if (status != null && !STATUSES.contains(status)) {
      throw CommandExit.badInput(
          "Invalid --status \"" + status + "\" (one of " + String.join(", ", STATUSES) + ")");
    }
    if (limit != null && limit < 1) {
      throw CommandExit.badInput("--limit must be at least 1");
    }
  }

  @Override
  protected boolean needsIdentity() {
    return true;
  }

  @Override
  protected int session(AgentChatClient client) {
    ObjectNode answer = client.listProposals(status, limit).await();
    JsonNode list = answer.path("list");
    if (json) {
      out().println(JsonOutput.pretty(list));
      return OK;
    }
    if (list.isEmpty()) {
      out().println("No proposals");
      return OK;
    }
    TextTable table = new TextTable("ID", "STATUS", "FROM", "TO", "TASK", "AMOUNT", "WHEN");
    for (JsonNode p : list) {
      table.row(
          TextTable.cell(p.get("id")),
          TextTable.cell(p.get("status")),
          TextTable.cell(p.get("from")),
          TextTable.cell(p.get("to")),
          TextTable.truncate(TextTable.cell(p.get("task")), TASK_WIDTH),
          amount(p),
          when(p));
    }
    table.print(out());
    return OK;
  }

  private static String amount(JsonNode p) {
    String amount = TextTable.cell(p.get("amount"));
    String currency = TextTable.cell(p.get("currency"));
    if (amount == null) {
      return null;
    }
    return currency == null ? amount : amount + " " + currency;
  }

  /** A pending proposal's deadline, otherwise when it last changed. */
  private static String when(JsonNode p) {
    if ("pending".equals(p.path("status").asText())) {
      String expires = TextTable.time(p.get("expires"));
      return expires == null ? "never expires" : "expires " + expires;
    }
    String updated = TextTable.time(p.get("updated_at"));
    return updated == null ? null : "updated " + updated;
  }
}
