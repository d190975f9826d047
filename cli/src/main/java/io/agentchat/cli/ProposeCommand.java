package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import java.math.BigDecimal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentchat propose}: offers work to another agent and prints the proposal's id. */
@Command(
    name = "propose",
    mixinStandardHelpOptions = true,
    description = "Propose a task to an agent; prints the proposal id. Needs an identity.")
final class ProposeCommand extends ConnectingCommand {
  @Parameters(index = "1", paramLabel = "AGENT", description = "The recipient, @id or id.")
  String agent;

  @Parameters(index = "2", paramLabel = "TASK", description = "What you want done.")
  String task;

  @Option(
      names = {"-a", "--amount"},
      paramLabel = "AMOUNT",
      description = "What you will pay.")
  String amount;

  @Option(
      names = {"-c", "--currency"},
      paramLabel = "CODE",
      description = "Currency of the amount.")
  String currency;

  @Option(
      names = {"-p", "--payment-code"},
      paramLabel = "CODE",
      description = "How you will pay (an address, an invoice).")
  String paymentCode;

  @Option(
      names = {"-e", "--expires"},
      paramLabel = "SECONDS",
      defaultValue = "300",
      description = "How long the recipient may accept; 0 for never (default: ${DEFAULT-VALUE}).")
  long expires;

  @Option(
      names = {"-t", "--terms"},
      paramLabel = "TEXT",
      description = "Extra terms (not covered by the signature).")
  String terms;

  @Option(
      names = {"-s", "--elo-stake"},
      paramLabel = "N",
      description = "Reputation you put at stake.")
  Long eloStake;

  @Option(
      names = "--capability",
      paramLabel = "NAME",
      description =
          "The capability the deal is about (1-64 characters, not covered by the signature): once"
              + " settled it also moves both parties' ratings for it.")
  String capability;

  @Option(names = "--json", description = "Print the server's PROPOSAL frame as JSON.")
  boolean json;

  private String to;
  private BigDecimal amountValue;

  @Override
  protected void validate() {
    to = requireAgent(agent);
    if (task.isBlank()) {
      throw CommandExit.badInput("The task is empty");
    }
    amountValue = amount == null ? null : requireAmount("--amount", amount);
    requireNotNegative("--expires", expires);
    requireNotNegative("--elo-stake", eloStake);
    if (capability != null && (capability.isBlank() || capability.length() > 64)) {
      throw CommandExit.badInput("--capability must be 1-64 characters");
    }
  }

  @Override
  protected boolean needsIdentity() {
    return true;
  }

  @Override
  protected int session(AgentSession client) {
    ServerFrame.Proposal proposal =
        client
            .propose(
                to, task, amountValue, currency, paymentCode, expires, terms, eloStake, capability)
            .await();
    out().println(json ? JsonOutput.pretty(proposal) : proposal.id());
    return OK;
  }
}
