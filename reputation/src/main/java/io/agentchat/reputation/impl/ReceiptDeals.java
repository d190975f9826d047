package io.agentchat.reputation.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.reputation.elo.Deal;
import io.agentchat.reputation.elo.Verdict;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The deal a receipt settled, as the rating formulas take it: what replaying receipts feeds the ELO
 * engine, exactly what the server fed it when it issued the receipt.
 */
public final class ReceiptDeals {
  private ReceiptDeals() {}

  /**
   * @param receipt a verified receipt
   * @return its deal: the amount as signed, the capability lower-cased, the stakes the settlement
   *     found in escrow ({@code rating_changes._escrow}, 0 without one), the verdict and its time
   */
  public static Deal of(JsonNode receipt) {
    boolean complete = "COMPLETE".equals(receipt.path("type").asText());
    JsonNode escrow = receipt.path("rating_changes").path("_escrow");
    long proposerStake = escrow.path("proposer_stake").asLong(0);
    long acceptorStake = escrow.path("acceptor_stake").asLong(0);
    JsonNode amount = receipt.path("amount");
    BigDecimal value = amount.isNumber() ? amount.decimalValue() : null;
    JsonNode capability = receipt.path("capability");
    String cap =
        capability.isTextual() && !capability.asText().isEmpty()
            ? capability.asText().toLowerCase(Locale.ROOT)
            : null;
    Verdict verdict;
    String disputer = null;
    long at;
    if (complete) {
      verdict = Verdict.COMPLETED;
      at = receipt.path("completed_at").asLong();
    } else if ("mutual".equals(receipt.path("settlement").asText())) {
      verdict = Verdict.MUTUAL;
      at = receipt.path("settled_at").asLong();
    } else {
      verdict = Verdict.UNILATERAL;
      disputer = bare(receipt.path("disputed_by").asText());
      at = receipt.path("settled_at").asLong();
    }
    return new Deal(
        receipt.path("proposal_id").asText(),
        bare(receipt.path("from").asText()),
        bare(receipt.path("to").asText()),
        value != null && value.signum() > 0 ? value : null,
        cap,
        proposerStake,
        acceptorStake,
        verdict,
        disputer,
        at);
  }

  private static String bare(String id) {
    return id.startsWith("@") ? id.substring(1) : id;
  }
}
