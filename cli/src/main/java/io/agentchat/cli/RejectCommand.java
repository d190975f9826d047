package io.agentchat.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentChatClient;
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
  protected Future<ObjectNode> act(AgentChatClient client) {
    return client.reject(proposalId, reason);
  }

  @Override
  protected String done() {
    return "Rejected";
  }
}
