package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat accept}: the recipient takes on a pending proposal. */
@Command(
    name = "accept",
    mixinStandardHelpOptions = true,
    description = "Accept a pending proposal addressed to you. Needs an identity.")
final class AcceptCommand extends ProposalVerbCommand {
  @Option(
      names = {"-p", "--payment-code"},
      paramLabel = "CODE",
      description = "Where the proposer should pay you.")
  String paymentCode;

  @Option(
      names = {"-s", "--elo-stake"},
      paramLabel = "N",
      description = "Reputation you put at stake.")
  Long eloStake;

  @Override
  protected void validateOptions() {
    requireNotNegative("--elo-stake", eloStake);
  }

  @Override
  protected Future<ServerFrame.Accept> act(AgentSession client) {
    return client.accept(proposalId, paymentCode, eloStake);
  }

  @Override
  protected String done() {
    return "Accepted";
  }
}
