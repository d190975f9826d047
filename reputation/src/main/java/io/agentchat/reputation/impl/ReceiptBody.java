package io.agentchat.reputation.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.spi.ProposalView;
import java.math.BigDecimal;
import java.util.Base64;

/**
 * The members of a receipt before the server seals it ({@code hash}, {@code server_sig}): the deal
 * exactly as its parties signed it, how it settled, the ratings it moved, the parties' keys, and
 * each party's previous receipt. SPEC.md ("Receipts") lists the members; a verifier rebuilds every
 * party's signing string from them.
 */
final class ReceiptBody {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ReceiptBody() {}

  /**
   * @param p the deal as settled
   * @param complete true for a COMPLETE receipt, false for a DISPUTE one
   * @param seq this server's settlement sequence number
   * @param settledAt when it settled
   * @param ratingChanges the frame's {@code rating_changes}
   * @param server this server's id ({@code @…})
   * @param prevFrom the proposer's previous receipt hash here, or null
   * @param prevTo the recipient's previous receipt hash here, or null
   */
  static ObjectNode of(
      ProposalView p,
      boolean complete,
      long seq,
      long settledAt,
      JsonNode ratingChanges,
      String server,
      String prevFrom,
      String prevTo) {
    String from = "@" + p.from();
    String to = "@" + p.to();
    ObjectNode r = JSON.objectNode();
    r.put("type", complete ? "COMPLETE" : "DISPUTE");
    r.put("seq", seq);
    r.put("proposal_id", p.id());
    r.put("from", from);
    r.put("to", to);
    r.put("task", p.task());
    r.put("capability", p.capability());
    r.set("amount", number(p.amount()));
    r.put("currency", p.currency());
    r.put("payment_code", p.paymentCode());
    r.set("expires", number(p.expiresIn()));
    r.set(
        "elo_stake",
        p.proposerStake() == null ? JSON.nullNode() : JSON.numberNode(p.proposerStake()));
    r.put("proposal_sig", signature(p.sig()));
    r.put("accept_payment_code", p.acceptorPaymentCode());
    r.set(
        "accept_elo_stake",
        p.acceptorStake() == null ? JSON.nullNode() : JSON.numberNode(p.acceptorStake()));
    r.put("accept_sig", signature(p.responseSig()));
    if (complete) {
      r.put("completed_by", "@" + p.completedBy());
      r.put("completed_at", p.completedAt());
      r.put("proof", p.completionProof());
      r.put("completion_sig", signature(p.completionSig()));
      if (p.payment() != null) {
        // Only when something was paid: a receipt without one keeps the shape it always had.
        r.set("payment", p.payment());
      }
    } else {
      r.put("disputed_by", "@" + p.disputedBy());
      r.put("disputed_at", p.disputedAt());
      r.put("reason", p.disputeReason());
      r.put("dispute_sig", signature(p.disputeSig()));
      r.put("contested_by", p.contestedBy() == null ? null : "@" + p.contestedBy());
      r.set(
          "contested_at",
          p.contestedAt() == null ? JSON.nullNode() : JSON.numberNode(p.contestedAt()));
      r.put("contest_reason", p.contestReason());
      r.put("contest_sig", signature(p.contestSig()));
      r.put("settlement", p.disputeSettlement());
    }
    r.put("settled_at", settledAt);
    r.set("rating_changes", ratingChanges == null ? JSON.nullNode() : ratingChanges);
    ObjectNode keys = r.putObject("pubkeys");
    keys.put(from, p.fromPubkey());
    keys.put(to, p.toPubkey());
    r.put("server", server);
    ObjectNode prev = r.putObject("prev");
    prev.put(from, prevFrom);
    prev.put(to, prevTo);
    return r;
  }

  /**
   * A party's signature in the standard padded base64 a verifier expects. The wire accepts the
   * reference's lenient forms (URL-safe letters, missing padding), which encode the same bytes.
   */
  private static String signature(String sig) {
    if (sig == null) {
      return null;
    }
    try {
      String standard = sig.trim().replace('-', '+').replace('_', '/');
      return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(pad(standard)));
    } catch (IllegalArgumentException notBase64) {
      // It verified on the wire, so this cannot happen; keep it as sent rather than lose it.
      return sig;
    }
  }

  private static String pad(String base64) {
    int missing = (4 - base64.length() % 4) % 4;
    return base64 + "=".repeat(missing);
  }

  /**
   * A signed number as the receipt carries it: the value the signer's JSON held, so a verifier
   * renders the same text in the signing string.
   */
  private static JsonNode number(BigDecimal value) {
    if (value == null) {
      return JSON.nullNode();
    }
    BigDecimal plain = value.stripTrailingZeros();
    if (plain.scale() <= 0) {
      try {
        return JSON.numberNode(plain.longValueExact());
      } catch (ArithmeticException tooBig) {
        return JSON.numberNode(plain.toBigInteger());
      }
    }
    return JSON.numberNode(plain);
  }
}
