package io.agentchat.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.protocol.SigningStrings;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A marketplace frame ready to send — signed where the protocol requires it — with the test that
 * recognises its answer among everything else the server sends. Numbers are written so that the
 * server, parsing them, rebuilds exactly the signing string signed here (protocol facts §2.2).
 *
 * @param frame the frame to send
 * @param description how errors name the request
 * @param isReply true for the server frame that answers this request, and for no frame the server
 *     pushes on its own
 */
record MarketplaceRequest(ClientFrame frame, String description, Predicate<ServerFrame> isReply) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** REGISTER_SKILLS, answered by the SKILLS_REGISTERED about {@code me}. */
  static MarketplaceRequest registerSkills(AgentKeyPair keys, String me, ArrayNode skills) {
    // Signed over the array as the server will parse it, not as the caller built it: a 10.0
    // or a big integer must hash as the server's JSON.stringify sees it.
    ArrayNode parsed = (ArrayNode) reparse(skills);
    String sig = keys.sign(SigningStrings.registerSkills(parsed));
    return new MarketplaceRequest(
        new ClientFrame.RegisterSkills(parsed, sig),
        "REGISTER_SKILLS",
        f ->
            body(f, "SKILLS_REGISTERED") != null
                && me.equals(body(f, "SKILLS_REGISTERED").path("agent_id").asText(null)));
  }

  /** SEARCH_SKILLS with a fresh query id, answered by the SEARCH_RESULTS echoing that id. */
  static MarketplaceRequest searchSkills(ObjectNode query) {
    byte[] id = new byte[6];
    RANDOM.nextBytes(id);
    String queryId = "q_" + HexFormat.of().formatHex(id);
    return new MarketplaceRequest(
        new ClientFrame.SearchSkills(query.deepCopy(), queryId),
        "SEARCH_SKILLS",
        f ->
            body(f, "SEARCH_RESULTS") != null
                && queryId.equals(body(f, "SEARCH_RESULTS").path("query_id").asText(null)));
  }

  /**
   * PROPOSAL, answered by its echo: a pending PROPOSAL from {@code me} to {@code to} carrying this
   * very signature. The signature covers the task and every signed field, and unlike the task it
   * survives the server's secret redaction; a proposal the server hands over at login is either
   * addressed to {@code me} or no longer pending, so it never matches.
   */
  static MarketplaceRequest propose(
      AgentKeyPair keys,
      String me,
      String to,
      String task,
      BigDecimal amount,
      String currency,
      String paymentCode,
      Long expiresSeconds,
      String terms,
      Long eloStake) {
    String sig =
        keys.sign(
            SigningStrings.proposal(
                to, task, amount, currency, paymentCode, expiresSeconds, eloStake));
    ClientFrame.Proposal frame =
        new ClientFrame.Proposal(
            to,
            task,
            number(amount),
            currency,
            paymentCode,
            expiresSeconds == null ? null : LongNode.valueOf(expiresSeconds),
            terms,
            eloStake == null ? null : LongNode.valueOf(eloStake),
            sig);
    return new MarketplaceRequest(
        frame,
        "PROPOSAL to " + to,
        f -> {
          JsonNode p = body(f, "PROPOSAL");
          return p != null
              && me.equals(p.path("from").asText(null))
              && to.equals(p.path("to").asText(null))
              && sig.equals(p.path("sig").asText(null))
              && "pending".equals(p.path("status").asText(null));
        });
  }

  /** ACCEPT, answered by the ACCEPT of that proposal made by {@code me} (the recipient). */
  static MarketplaceRequest accept(
      AgentKeyPair keys, String me, String proposalId, String paymentCode, Long eloStake) {
    String sig = keys.sign(SigningStrings.accept(proposalId, paymentCode, eloStake));
    return new MarketplaceRequest(
        new ClientFrame.Accept(
            proposalId, paymentCode, eloStake == null ? null : LongNode.valueOf(eloStake), sig),
        "ACCEPT " + proposalId,
        answer("ACCEPT", proposalId, "to", me));
  }

  /** REJECT, answered by the REJECT of that proposal made by {@code me} (the recipient). */
  static MarketplaceRequest reject(AgentKeyPair keys, String me, String proposalId, String reason) {
    String sig = keys.sign(SigningStrings.reject(proposalId, reason));
    return new MarketplaceRequest(
        new ClientFrame.Reject(proposalId, reason, sig),
        "REJECT " + proposalId,
        answer("REJECT", proposalId, "to", me));
  }

  /** COMPLETE, answered by the COMPLETE of that proposal with {@code me} as completer. */
  static MarketplaceRequest complete(
      AgentKeyPair keys, String me, String proposalId, String proof) {
    String sig = keys.sign(SigningStrings.complete(proposalId, proof));
    return new MarketplaceRequest(
        new ClientFrame.Complete(proposalId, proof, sig),
        "COMPLETE " + proposalId,
        answer("COMPLETE", proposalId, "completed_by", me));
  }

  /** DISPUTE, answered by the DISPUTE of that proposal with {@code me} as disputer. */
  static MarketplaceRequest dispute(
      AgentKeyPair keys, String me, String proposalId, String reason) {
    Objects.requireNonNull(reason, "reason");
    String sig = keys.sign(SigningStrings.dispute(proposalId, reason));
    return new MarketplaceRequest(
        new ClientFrame.Dispute(proposalId, reason, sig),
        "DISPUTE " + proposalId,
        answer("DISPUTE", proposalId, "disputed_by", me));
  }

  /** LIST_PROPOSALS, answered by PROPOSALS (which the server never pushes). */
  static MarketplaceRequest listProposals(String status, Integer limit) {
    return new MarketplaceRequest(
        new ClientFrame.ListProposals(status, limit),
        "LIST_PROPOSALS",
        f -> body(f, "PROPOSALS") != null);
  }

  /**
   * The answer to a verb on a proposal: its frame type and proposal id, with {@code me} in the
   * actor field. Notices the server hands over at login are about the other party's actions.
   */
  private static Predicate<ServerFrame> answer(
      String type, String proposalId, String actorField, String me) {
    return f -> {
      JsonNode b = body(f, type);
      return b != null
          && proposalId.equals(b.path("proposal_id").asText(null))
          && me.equals(b.path(actorField).asText(null));
    };
  }

  /** The JSON of a frame of {@code type}, else null. */
  static ObjectNode body(ServerFrame frame, String type) {
    if (!frame.type().equals(type)) {
      return null;
    }
    if (frame instanceof ServerFrame.Other o) {
      return o.body() instanceof ObjectNode b ? b : null;
    }
    return FrameCodec.mapper().valueToTree(frame);
  }

  /**
   * An amount as a JSON number that parses back to the double the signature rendered: integral
   * amounts as plain integers, others as their shortest decimal.
   */
  private static JsonNode number(BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    BigDecimal plain = amount.stripTrailingZeros();
    if (plain.scale() <= 0) {
      return BigIntegerNode.valueOf(plain.toBigIntegerExact());
    }
    return DecimalNode.valueOf(plain);
  }

  private static JsonNode reparse(JsonNode value) {
    try {
      return FrameCodec.mapper().readTree(FrameCodec.mapper().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("skills are not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
