package io.agentchat.reputation;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.identity.AgentIds;
import io.agentchat.reputation.elo.Deal;
import io.agentchat.reputation.elo.RatingBook;
import io.agentchat.reputation.elo.Verdict;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ratings as a pure function of receipts: the deal each receipt settled, the order in which a set
 * of receipts counts, and their replay through a {@link RatingBook}. The server counts with it,
 * recalculates with it, and {@code agentchat ratings --from} computes ratings from exported files
 * with it, so all three give the same numbers.
 *
 * <p>Receipts are taken as they are: verify them first ({@link
 * io.agentchat.reputation.receipts.ReceiptVerifier}). Stateless and thread-safe.
 */
public final class ReceiptReplay {
  /** Orders one server's receipts as it counted them: by its settlement sequence. */
  private static final Comparator<JsonNode> BY_SEQ =
      Comparator.comparingLong(r -> r.path("seq").asLong());

  /**
   * Orders receipts of several servers: by settlement time, ties broken by server and sequence so
   * the order does not depend on the order of the files.
   */
  private static final Comparator<JsonNode> BY_TIME =
      Comparator.<JsonNode>comparingLong(r -> r.path("settled_at").asLong())
          .thenComparing(r -> r.path("server").asText())
          .thenComparing(BY_SEQ);

  private ReceiptReplay() {}

  /**
   * The deal a receipt settled, as the rating formulas take it: exactly what the issuing server fed
   * them when it issued the receipt.
   *
   * @param receipt a verified receipt
   * @return its deal: the amount as signed, the capability lower-cased, the stakes the settlement
   *     found in escrow ({@code rating_changes._escrow}, 0 without one), the verdict and its time
   * @throws IllegalArgumentException if the receipt does not describe a valid deal (a self-deal, a
   *     disputer that is not a party)
   */
  public static Deal deal(JsonNode receipt) {
    boolean complete = "COMPLETE".equals(receipt.path("type").asText());
    JsonNode escrow = receipt.path("rating_changes").path("_escrow");
    long proposerStake = escrow.path("proposer_stake").asLong(0);
    long acceptorStake = escrow.path("acceptor_stake").asLong(0);
    JsonNode amount = receipt.path("amount");
    JsonNode currency = receipt.path("currency");
    BigDecimal value =
        Deal.weighed(
            amount.isNumber() ? amount.decimalValue() : null,
            currency.isTextual() ? currency.asText() : null);
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
      disputer = AgentIds.bare(receipt.path("disputed_by").asText());
      at = receipt.path("settled_at").asLong();
    }
    return new Deal(
        receipt.path("proposal_id").asText(),
        AgentIds.bare(receipt.path("from").asText()),
        AgentIds.bare(receipt.path("to").asText()),
        value != null && value.signum() > 0 ? value : null,
        cap,
        proposerStake,
        acceptorStake,
        verdict,
        disputer,
        at);
  }

  /**
   * The receipts to replay, in the order they count: each deal once (the same {@code server} and
   * {@code proposal_id} seen again, say in the other party's export, is dropped), ordered by {@code
   * seq} when one server issued them all (the order that server counted them in), else by ({@code
   * settled_at}, {@code server}, {@code seq}).
   *
   * @param receipts receipts from any number of files, in any order
   * @return a new list
   */
  public static List<JsonNode> inCountingOrder(Collection<? extends JsonNode> receipts) {
    Map<String, JsonNode> unique = new LinkedHashMap<>();
    for (JsonNode r : receipts) {
      unique.putIfAbsent(r.path("server").asText() + "\n" + r.path("proposal_id").asText(), r);
    }
    List<JsonNode> ordered = new ArrayList<>(unique.values());
    long servers = ordered.stream().map(r -> r.path("server").asText()).distinct().count();
    ordered.sort(servers <= 1 ? BY_SEQ : BY_TIME);
    return ordered;
  }

  /**
   * Replays receipts, in the order given, into a new book.
   *
   * @param receipts verified receipts in counting order (see {@link #inCountingOrder})
   * @return the ratings they give
   */
  public static RatingBook replay(Iterable<? extends JsonNode> receipts) {
    RatingBook book = new RatingBook();
    for (JsonNode r : receipts) {
      book.apply(deal(r));
    }
    return book;
  }
}
