package io.agentchat.cli;

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
      description = "Evidence of the work (a URL, a commit, a hash).")
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
    return "Completed "
        + proposalId
        + "."
        + ratingLine(((ServerFrame.Complete) answer).ratingChanges(), me);
  }
}
