package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one agent's receipts add up to: how many, over which dates, with whom, for how much per
 * currency, how they ended, and how far they moved the agent's rating.
 *
 * @param agent the agent ({@code @id})
 * @param receipts how many receipts
 * @param firstSettledAt the earliest settlement (epoch ms), or null without receipts
 * @param lastSettledAt the latest settlement (epoch ms), or null without receipts
 * @param counterparties the other parties, sorted
 * @param currencies per currency ({@value #UNKNOWN_CURRENCY} for deals that named none)
 * @param completions receipts of completed deals
 * @param disputes receipts of disputed deals
 * @param ratingChange the sum of the agent's rating changes
 */
record ReceiptSummary(
    String agent,
    long receipts,
    Long firstSettledAt,
    Long lastSettledAt,
    SortedSet<String> counterparties,
    Map<String, Money> currencies,
    long completions,
    long disputes,
    long ratingChange) {

  /** The currency of deals that named none. */
  static final String UNKNOWN_CURRENCY = "unknown";

  /**
   * Deals in one currency.
   *
   * @param deals how many
   * @param total the sum of their amounts, or null when none had an amount
   */
  record Money(long deals, BigDecimal total) {
    /** No deals yet. */
    static final Money NONE = new Money(0, null);

    /** These deals and one more, of {@code amount} (null for none). */
    Money plus(BigDecimal amount) {
      BigDecimal sum = amount == null ? total : total == null ? amount : total.add(amount);
      return new Money(deals + 1, sum);
    }
  }

  /** Adds up {@code receipts}, each of which {@code agent} is a party of. */
  static ReceiptSummary of(String agent, List<JsonNode> receipts) {
    Long first = null;
    Long last = null;
    SortedSet<String> counterparties = new TreeSet<>();
    Map<String, Money> currencies = new TreeMap<>();
    long completions = 0;
    long change = 0;
    for (JsonNode r : receipts) {
      long settled = r.path("settled_at").asLong();
      first = first == null ? settled : Math.min(first, settled);
      last = last == null ? settled : Math.max(last, settled);
      counterparties.add(counterparty(r, agent));
      String currency = r.path("currency").isTextual() ? r.get("currency").asText() : null;
      JsonNode amount = r.path("amount");
      String key = currency == null || currency.isEmpty() ? UNKNOWN_CURRENCY : currency;
      currencies.put(
          key,
          currencies
              .getOrDefault(key, Money.NONE)
              .plus(amount.isNumber() ? amount.decimalValue() : null));
      if ("COMPLETE".equals(r.path("type").asText())) {
        completions++;
      }
      Long moved = change(r, agent);
      change += moved == null ? 0 : moved;
    }
    return new ReceiptSummary(
        agent,
        receipts.size(),
        first,
        last,
        counterparties,
        currencies,
        completions,
        receipts.size() - completions,
        change);
  }

  /** The other party of a receipt's deal. */
  static String counterparty(JsonNode receipt, String agent) {
    String from = receipt.path("from").asText();
    return from.equals(agent) ? receipt.path("to").asText() : from;
  }

  /** How far the receipt moved the agent's rating, or null when it records no change for it. */
  static Long change(JsonNode receipt, String agent) {
    JsonNode change = receipt.path("rating_changes").path(agent).path("change");
    return change.isIntegralNumber() ? change.asLong() : null;
  }
}
