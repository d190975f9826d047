package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code agentchat dispute}: either party contests an accepted proposal. */
@Command(
    name = "dispute",
    mixinStandardHelpOptions = true,
    description = "Dispute an accepted proposal you are a party to. Needs an identity.")
final class DisputeCommand extends ProposalVerbCommand {
  @Parameters(index = "2", paramLabel = "REASON", description = "What went wrong.")
  String reason;

  @Override
  protected void validateOptions() {
    if (reason.isBlank()) {
      throw CommandExit.badInput("A dispute needs a reason");
    }
  }

  @Override
  protected Future<ServerFrame.Dispute> act(AgentSession client) {
    return client.dispute(proposalId, reason);
  }

  @Override
  protected String done() {
    return "Disputed";
  }

  @Override
  protected String summary(ServerFrame answer, String me) {
    ServerFrame.Dispute d = (ServerFrame.Dispute) answer;
    String other = me.equals(d.from()) ? d.to() : d.from();
    if ("pending".equals(d.settlement()) && d.settlesAt() != null) {
      return "Disputed "
          + proposalId
          + ". It settles in your favour at "
          + Instant.ofEpochMilli(d.settlesAt())
          + " unless "
          + other
          + " disputes it too (then both are at fault).";
    }
    if ("mutual".equals(d.settlement())) {
      return "Disputed "
          + proposalId
          + ": both disputed it, so it settled as a mutual fault."
          + ratingLine(d.ratingChanges(), me);
    }
    return "Disputed " + proposalId + "." + ratingLine(d.ratingChanges(), me);
  }
}
