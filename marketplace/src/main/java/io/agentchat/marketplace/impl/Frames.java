package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.marketplace.store.Proposal;
import io.agentchat.marketplace.store.ProposalStatus;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.JavaScriptText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The marketplace's proposal frames as the JSON text agents receive, in the reference's order. */
final class Frames {
  private Frames() {}

  /** A proposal as the PROPOSAL frame shows it. */
  static String proposal(Proposal p, long now) {
    return proposalObject(p, now).encode();
  }

  /** The PROPOSALS answer to LIST_PROPOSALS. */
  static String proposals(List<Proposal> list, long now) {
    JsonArray out = new JsonArray();
    for (Proposal p : list) {
      out.add(proposalObject(p, now));
    }
    return MarketplaceFrames.frame("PROPOSALS", now).put("list", out).encode();
  }

  private static JsonObject proposalObject(Proposal p, long now) {
    JsonObject frame =
        MarketplaceFrames.frame("PROPOSAL", now)
            .put("id", p.id())
            .put("from", "@" + p.fromAgent())
            .put("to", "@" + p.toAgent())
            .put("task", p.task())
            .put("amount", MarketplaceFrames.amount(p.amount()))
            .put("currency", p.currency())
            .put("payment_code", p.paymentCode())
            .put("terms", p.terms())
            .put("expires", p.expiresAt())
            .put("status", p.status().wire())
            .put("created_at", p.createdAt())
            .put("sig", p.sig())
            .put("elo_stake", p.proposerStake());
    if (p.status() != ProposalStatus.PENDING) {
      frame.put("updated_at", p.updatedAt());
    }
    return frame;
  }

  static String accept(Proposal p, long now) {
    return outcome("ACCEPT", p, now)
        .put("payment_code", p.responsePaymentCode())
        .put("sig", p.responseSig())
        .put("proposer_stake", p.proposerStake())
        .put("acceptor_stake", p.acceptorStake() == null ? 0L : p.acceptorStake())
        .encode();
  }

  static String reject(Proposal p, long now) {
    return outcome("REJECT", p, now)
        .put("reason", p.rejectReason())
        .put("sig", p.responseSig())
        .encode();
  }

  static String complete(Proposal p, SettlementOutcome settled, long now) {
    return settled(
            outcome("COMPLETE", p, now)
                .put("completed_by", "@" + p.completedBy())
                .put("completed_at", p.completedAt())
                .put("proof", p.completionProof())
                .put("sig", p.completionSig())
                .put("elo_stakes", stakes(p)),
            settled)
        .encode();
  }

  static String dispute(Proposal p, SettlementOutcome settled, long now) {
    return settled(
            outcome("DISPUTE", p, now)
                .put("disputed_by", "@" + p.disputedBy())
                .put("disputed_at", p.disputedAt())
                .put("reason", p.disputeReason())
                .put("sig", p.disputeSig())
                .put("elo_stakes", stakes(p)),
            settled)
        .encode();
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

  /** The head every ACCEPT, REJECT, COMPLETE and DISPUTE frame shares, in the reference's order. */
  private static JsonObject outcome(String type, Proposal p, long now) {
    return MarketplaceFrames.frame(type, now)
        .put("proposal_id", p.id())
        .put("status", p.status().wire())
        .put("updated_at", p.updatedAt())
        .put("from", "@" + p.fromAgent())
        .put("to", "@" + p.toAgent());
  }

  @SuppressWarnings("unchecked")
  private static JsonObject settled(JsonObject frame, SettlementOutcome settled) {
    frame.put(
        "rating_changes",
        settled.ratingChanges() == null
            ? null
            : new JsonObject(FrameCodec.mapper().convertValue(settled.ratingChanges(), Map.class)));
    if (settled.payment() != null) {
      frame.put(
          "payment",
          new JsonObject(FrameCodec.mapper().convertValue(settled.payment(), Map.class)));
    }
    return frame;
  }

  private static JsonObject stakes(Proposal p) {
    return new JsonObject()
        .put("proposer", p.proposerStake() == null ? 0L : p.proposerStake())
        .put("acceptor", p.acceptorStake() == null ? 0L : p.acceptorStake());
  }
}
