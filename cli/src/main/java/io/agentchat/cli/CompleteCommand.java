package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat complete}: either party marks an accepted proposal as done. */
@Command(
    name = "complete",
    mixinStandardHelpOptions = true,
    description = "Mark an accepted proposal you are a party to as completed. Needs an identity.")
final class CompleteCommand extends ProposalVerbCommand {
  @Option(
      names = {"-p", "--proof"},
      paramLabel = "TEXT",
      description =
          "Evidence of the work (a URL, a commit, a hash). For a deal paid on a chain (see"
              + " `agentchat currencies`): the payment's transaction hash, 0x…, which the server"
              + " verifies before it completes the deal.")
  String proof;

  @Override
  protected Future<ServerFrame.Complete> act(AgentSession client) {
    return client.complete(proposalId, proof);
  }

  @Override
  protected String done() {
    return "Completed";
  }

  @Override
  protected String summary(ServerFrame answer, String me) {
    ServerFrame.Complete c = (ServerFrame.Complete) answer;
    return "Completed "
        + proposalId
        + "."
        + paymentLine(c.payment())
        + ratingLine(c.ratingChanges(), me);
  }

  /** The payment the server settled or verified, on a line of its own; empty for none. */
  static String paymentLine(JsonNode payment) {
    if (payment == null || payment.isNull() || payment.isMissingNode()) {
      return "";
    }
    String paid =
        System.lineSeparator()
            + "Paid "
            + payment.path("amount").asText()
            + " "
            + payment.path("currency").asText();
    if (payment.hasNonNull("tx")) {
      return paid
          + " in "
          + payment.get("tx").asText()
          + " (chain "
          + payment.path("chain_id").asText()
          + ", "
          + payment.path("confirmations").asText()
          + " confirmations), verified.";
    }
    return paid
        + " from "
        + payment.path("payer").asText()
        + " to "
        + payment.path("payee").asText()
        + " on the server's ledger.";
  }
}
