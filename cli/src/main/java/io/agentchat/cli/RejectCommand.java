package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat reject}: the recipient turns down a pending proposal. */
@Command(
    name = "reject",
    mixinStandardHelpOptions = true,
    description = "Reject a pending proposal addressed to you. Needs an identity.")
final class RejectCommand extends ProposalVerbCommand {
  @Option(
      names = {"-r", "--reason"},
      paramLabel = "TEXT",
      description = "Why, for the proposer.")
  String reason;

  @Override
  protected Future<ServerFrame.Reject> act(AgentSession client) {
    return client.reject(proposalId, reason);
  }

  @Override
  protected String done() {
    return "Rejected";
  }
}
