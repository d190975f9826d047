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
 * @param answerType the record of the server frame that answers this request
 * @param isAnswer true for the frame of {@code answerType} that answers this request, and for no
 *     frame the server pushes on its own
 * @param <T> the answer's record
 */
record MarketplaceRequest<T extends ServerFrame>(
    ClientFrame frame, String description, Class<T> answerType, Predicate<T> isAnswer) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** True when {@code frame} answers this request. */
  boolean isReply(ServerFrame frame) {
    return answerType.isInstance(frame) && isAnswer.test(answerType.cast(frame));
  }

  /** REGISTER_SKILLS, answered by the SKILLS_REGISTERED about {@code me}. */
  static MarketplaceRequest<ServerFrame.SkillsRegistered> registerSkills(
      AgentKeyPair keys, String me, ArrayNode skills) {
    // Signed over the array as the server will parse it, not as the caller built it: a 10.0
    // or a big integer must hash as the server's JSON.stringify sees it.
    ArrayNode parsed = (ArrayNode) reparse(skills);
    String sig = keys.sign(SigningStrings.registerSkills(parsed));
    return new MarketplaceRequest<>(
        new ClientFrame.RegisterSkills(parsed, sig),
        "REGISTER_SKILLS",
        ServerFrame.SkillsRegistered.class,
        r -> me.equals(r.agentId()));
  }

  /** SEARCH_SKILLS with a fresh query id, answered by the SEARCH_RESULTS echoing that id. */
  static MarketplaceRequest<ServerFrame.SearchResults> searchSkills(ObjectNode query) {
    byte[] id = new byte[6];
    RANDOM.nextBytes(id);
    String queryId = "q_" + HexFormat.of().formatHex(id);
    return new MarketplaceRequest<>(
        new ClientFrame.SearchSkills(query.deepCopy(), queryId),
        "SEARCH_SKILLS",
        ServerFrame.SearchResults.class,
        r -> queryId.equals(r.queryId()));
  }

  /**
   * PROPOSAL, answered by its echo: a pending PROPOSAL from {@code me} to {@code to} carrying this
   * very signature. The signature covers the task and every signed field, and unlike the task it
   * survives the server's secret redaction; a proposal the server hands over at login is either
   * addressed to {@code me} or no longer pending, so it never matches.
   */
  static MarketplaceRequest<ServerFrame.Proposal> propose(
      AgentKeyPair keys,
      String me,
      String to,
      String task,
      BigDecimal amount,
      String currency,
      String paymentCode,
      Long expiresSeconds,
      String terms,
      Long eloStake,
      String capability) {
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
            sig,
            capability);
    return new MarketplaceRequest<>(
        frame,
        "PROPOSAL to " + to,
        ServerFrame.Proposal.class,
        p ->
            me.equals(p.from())
                && to.equals(p.to())
                && sig.equals(p.sig())
                && ServerFrame.Proposal.PENDING.equals(p.status()));
  }

  /** ACCEPT, answered by the ACCEPT of that proposal made by {@code me} (the recipient). */
  static MarketplaceRequest<ServerFrame.Accept> accept(
      AgentKeyPair keys, String me, String proposalId, String paymentCode, Long eloStake) {
    String sig = keys.sign(SigningStrings.accept(proposalId, paymentCode, eloStake));
    return new MarketplaceRequest<>(
        new ClientFrame.Accept(
            proposalId, paymentCode, eloStake == null ? null : LongNode.valueOf(eloStake), sig),
        "ACCEPT " + proposalId,
        ServerFrame.Accept.class,
        a -> proposalId.equals(a.proposalId()) && me.equals(a.to()));
  }

  /** REJECT, answered by the REJECT of that proposal made by {@code me} (the recipient). */
  static MarketplaceRequest<ServerFrame.Reject> reject(
      AgentKeyPair keys, String me, String proposalId, String reason) {
    String sig = keys.sign(SigningStrings.reject(proposalId, reason));
    return new MarketplaceRequest<>(
        new ClientFrame.Reject(proposalId, reason, sig),
        "REJECT " + proposalId,
        ServerFrame.Reject.class,
        r -> proposalId.equals(r.proposalId()) && me.equals(r.to()));
  }

  /** COMPLETE, answered by the COMPLETE of that proposal with {@code me} as completer. */
  static MarketplaceRequest<ServerFrame.Complete> complete(
      AgentKeyPair keys, String me, String proposalId, String proof) {
    String sig = keys.sign(SigningStrings.complete(proposalId, proof));
    return new MarketplaceRequest<>(
        new ClientFrame.Complete(proposalId, proof, sig),
        "COMPLETE " + proposalId,
        ServerFrame.Complete.class,
        c -> proposalId.equals(c.proposalId()) && me.equals(c.completedBy()));
  }

  /** DISPUTE, answered by the DISPUTE of that proposal with {@code me} as disputer. */
  static MarketplaceRequest<ServerFrame.Dispute> dispute(
      AgentKeyPair keys, String me, String proposalId, String reason) {
    Objects.requireNonNull(reason, "reason");
    String sig = keys.sign(SigningStrings.dispute(proposalId, reason));
    return new MarketplaceRequest<>(
        new ClientFrame.Dispute(proposalId, reason, sig),
        "DISPUTE " + proposalId,
        ServerFrame.Dispute.class,
        // A DISPUTE answering the other party's open dispute contests it: the answer keeps the
        // first disputer and names this agent as contested_by.
        d ->
            proposalId.equals(d.proposalId())
                && (me.equals(d.disputedBy()) && d.contestedBy() == null
                    || me.equals(d.contestedBy())));
  }

  /** LIST_PROPOSALS, answered by PROPOSALS (which the server never pushes). */
  static MarketplaceRequest<ServerFrame.Proposals> listProposals(String status, Integer limit) {
    return new MarketplaceRequest<>(
        new ClientFrame.ListProposals(status, limit),
        "LIST_PROPOSALS",
        ServerFrame.Proposals.class,
        p -> true);
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
