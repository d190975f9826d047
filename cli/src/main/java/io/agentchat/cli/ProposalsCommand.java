package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
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
  protected int session(AgentSession client) {
    List<ServerFrame.Proposal> list = client.listProposals(status, limit).await().list();
    if (json) {
      out().println(JsonOutput.prettyFrames(list));
      return OK;
    }
    if (list.isEmpty()) {
      out().println("No proposals");
      return OK;
    }
    TextTable table = new TextTable("ID", "STATUS", "FROM", "TO", "TASK", "AMOUNT", "WHEN");
    for (ServerFrame.Proposal p : list) {
      table.row(
          p.id(),
          p.status(),
          p.from(),
          p.to(),
          TextTable.truncate(p.task(), TASK_WIDTH),
          amount(p),
          when(p));
    }
    table.print(out());
    return OK;
  }

  private static String amount(ServerFrame.Proposal p) {
    String amount = TextTable.cell(p.amount());
    if (amount == null) {
      return null;
    }
    return p.currency() == null ? amount : amount + " " + p.currency();
  }

  /** A pending proposal's deadline, otherwise when it last changed. */
  private static String when(ServerFrame.Proposal p) {
    if (ServerFrame.Proposal.PENDING.equals(p.status())) {
      String expires = TextTable.time(p.expires());
      return expires == null ? "never expires" : "expires " + expires;
    }
    String updated = TextTable.time(p.updatedAt());
    return updated == null ? null : "updated " + updated;
  }
}
