package io.agentchat.marketplace.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.marketplace.store.Proposal;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.JavaScriptText;
import io.agentchat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * The marketplace's proposal frames as the typed {@link ServerFrame} records, and as the JSON text
 * agents receive (encoded once, then passed on unchanged by the relay and the notice queue).
 */
final class Frames {
  private Frames() {}

  /** A proposal as the PROPOSAL frame shows it. */
  static String proposal(Proposal p, long now) {
    return FrameCodec.encodeToString(proposalRecord(p, now));
  }

  /** The PROPOSALS answer to LIST_PROPOSALS. */
  static String proposals(List<Proposal> list, long now) {
    List<ServerFrame.Proposal> records = new ArrayList<>(list.size());
    for (Proposal p : list) {
      records.add(proposalRecord(p, now));
    }
    return FrameCodec.encodeToString(new ServerFrame.Proposals(now, records));
  }

  /** A proposal as a LIST_PROPOSALS item, without the frame's {@code type} and {@code ts}. */
  static ObjectNode proposalObject(Proposal p, long now) {
    ObjectNode o = FrameCodec.mapper().valueToTree(proposalRecord(p, now));
    o.remove("type");
    o.remove("ts");
    return o;
  }

  private static ServerFrame.Proposal proposalRecord(Proposal p, long now) {
    return new ServerFrame.Proposal(
        now,
        p.id(),
        "@" + p.fromAgent(),
        "@" + p.toAgent(),
        p.task(),
        p.amount(),
        p.currency(),
        p.paymentCode(),
        p.terms(),
        p.expiresAt(),
        p.status().wire(),
        p.createdAt(),
        p.sig(),
        p.proposerStake(),
        p.updatedAt(),
        p.capability());
  }

  static String accept(Proposal p, long now) {
    return FrameCodec.encodeToString(
        new ServerFrame.Accept(
            now,
            p.id(),
            p.status().wire(),
            p.updatedAt(),
            "@" + p.fromAgent(),
            "@" + p.toAgent(),
            p.responsePaymentCode(),
            p.responseSig(),
            p.proposerStake(),
            p.acceptorStake() == null ? 0L : p.acceptorStake()));
  }

  static String reject(Proposal p, long now) {
    return FrameCodec.encodeToString(
        new ServerFrame.Reject(
            now,
            p.id(),
            p.status().wire(),
            p.updatedAt(),
            "@" + p.fromAgent(),
            "@" + p.toAgent(),
            p.rejectReason(),
            p.responseSig()));
  }

  static String complete(Proposal p, SettlementOutcome settled, long now) {
    return FrameCodec.encodeToString(
        new ServerFrame.Complete(
            now,
            p.id(),
            p.status().wire(),
            p.updatedAt(),
            "@" + p.fromAgent(),
            "@" + p.toAgent(),
            "@" + p.completedBy(),
            p.completedAt(),
            p.completionProof(),
            p.completionSig(),
            stakes(p),
            settled.ratingChanges(),
            settled.payment()));
  }

  static String dispute(Proposal p, SettlementOutcome settled, long now) {
    return FrameCodec.encodeToString(
        new ServerFrame.Dispute(
            now,
            p.id(),
            p.status().wire(),
            p.updatedAt(),
            "@" + p.fromAgent(),
            "@" + p.toAgent(),
            "@" + p.disputedBy(),
            p.disputedAt(),
            p.disputeReason(),
            p.disputeSig(),
            stakes(p),
            settled.ratingChanges(),
            settled.payment(),
            p.disputeSettlement() != null ? p.disputeSettlement() : "pending",
            p.disputeSettlesAt(),
            p.disputeSettledAt(),
            p.contestedBy() == null ? null : "@" + p.contestedBy(),
            p.contestedAt(),
            p.contestReason(),
            p.contestSig()));
  }

  /** The {@code #bounties} notice of a new proposal. */
  static String bounty(Proposal p) {
    StringBuilder s =
        new StringBuilder("[BOUNTY] @")
            .append(p.fromAgent())
            .append(" → @")
            .append(p.toAgent())
            .append(": \"")
            .append(p.task())
            .append('"');
    if (p.amount() != null) {
      s.append(" (")
          .append(JavaScriptText.number(p.amount().doubleValue()))
          .append(' ')
          .append(p.currency() == null ? "ELO" : p.currency())
          .append(')');
    }
    if (p.proposerStake() != null) {
      s.append(" [stake: ").append(p.proposerStake()).append(" ELO]");
    }
    return s.append(" — ").append(p.id()).toString();
  }

  private static ServerFrame.EloStakes stakes(Proposal p) {
    return new ServerFrame.EloStakes(
        p.proposerStake() == null ? 0L : p.proposerStake(),
        p.acceptorStake() == null ? 0L : p.acceptorStake());
  }
}
