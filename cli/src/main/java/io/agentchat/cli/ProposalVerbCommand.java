package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Base of the commands that act on one proposal (accept, reject, complete, dispute): they sign with
 * the identity, print one line saying what happened, or the server's frame with {@code --json}.
 */
abstract class ProposalVerbCommand extends ConnectingCommand {
  /** Longest proposal id the server accepts. */
  private static final int MAX_PROPOSAL_ID = 128;

  @Parameters(index = "1", paramLabel = "PROPOSAL_ID", description = "The proposal's id.")
  String proposalId;

  @Option(names = "--json", description = "Print the server's answer frame as JSON.")
  boolean json;

  /** Sends the verb; completes with the frame that answers it (about this very proposal id). */
  protected abstract Future<? extends ServerFrame> act(AgentSession client);

  /** Past tense for the line printed on success ("Accepted"). */
  protected abstract String done();

  /**
   * The line printed on success: {@link #done()} and the id, and whatever the verb's answer adds.
   *
   * @param me this agent's id, with {@code @}
   */
  protected String summary(ServerFrame answer, String me) {
    return done() + " " + proposalId;
  }

  /** " Your rating: old → new (±change)." when the rating changes name this agent, else "". */
  static String ratingLine(com.fasterxml.jackson.databind.JsonNode ratingChanges, String me) {
    if (ratingChanges == null || !ratingChanges.has(me)) {
      return "";
    }
    com.fasterxml.jackson.databind.JsonNode mine = ratingChanges.get(me);
    long change = mine.path("change").asLong();
    return " Your rating: "
        + mine.path("oldRating").asLong()
        + " → "
        + mine.path("newRating").asLong()
        + " ("
        + (change >= 0 ? "+" : "")
        + change
        + ")"
        + (ratingChanges.has("_cooldown") ? ", held by the pair's one-hour cooldown." : ".");
  }

  /** The verb's own checks, after the proposal id's. */
  protected void validateOptions() {}

  @Override
  protected final void validate() {
    if (proposalId.isBlank() || proposalId.length() > MAX_PROPOSAL_ID) {
      throw CommandExit.badInput("Invalid proposal id \"" + proposalId + "\"");
    }
    validateOptions();
  }

  @Override
  protected final boolean needsIdentity() {
    return true;
  }

  @Override
  protected final int session(AgentSession client) {
    ServerFrame answer = act(client).await();
    if (json) {
      out().println(JsonOutput.pretty(answer));
    } else {
      out().println(summary(answer, client.agentId()));
    }
    return OK;
  }
}
