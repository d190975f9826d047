package io.agentchat.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.reputation.elo.Deal;
import io.agentchat.reputation.elo.RatingBook;
import io.agentchat.reputation.elo.Verdict;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Receipts back to deals, in the order they count, replayed. */
class ReceiptReplayTest {
  private static final String A = "@aaaaaaaaaaaaaaaa";
  private static final String B = "@bbbbbbbbbbbbbbbb";

  private static ObjectNode receipt(String server, long seq, String proposal, long settledAt) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("type", "COMPLETE").put("seq", seq).put("proposal_id", proposal);
    r.put("from", A).put("to", B).put("completed_by", A);
    r.put("completed_at", settledAt).put("settled_at", settledAt).put("server", server);
    return r;
  }

  private static List<String> proposals(List<JsonNode> receipts) {
    return receipts.stream().map(r -> r.get("proposal_id").asText()).toList();
  }

  @Test
  void oneServersReceiptsCountInItsSequenceAndEachDealOnce() {
    List<JsonNode> both =
        List.of(
            receipt("@s", 3, "p3", 1_000),
            receipt("@s", 1, "p1", 3_000),
            receipt("@s", 2, "p2", 2_000),
            receipt("@s", 1, "p1", 3_000));

    assertEquals(List.of("p1", "p2", "p3"), proposals(ReceiptReplay.inCountingOrder(both)));
  }

  @Test
  void severalServersReceiptsCountBySettlementTimeThenServerThenSequence() {
    List<JsonNode> mixed =
        List.of(
            receipt("@t", 1, "p1", 2_000),
            receipt("@s", 9, "p1", 2_000),
            receipt("@s", 8, "p8", 1_000),
            receipt("@s", 7, "p7", 2_000),
            receipt("@t", 1, "p1", 2_000));

    List<JsonNode> ordered = ReceiptReplay.inCountingOrder(mixed);

    assertEquals(List.of("p8", "p7", "p1", "p1"), proposals(ordered));
    assertEquals(
        "@t", ordered.get(3).get("server").asText(), "the same id on two servers: two deals");
  }

  @Test
  void aReceiptGivesBackTheDealItsServerSettled() {
    ObjectNode complete = receipt("@s", 1, "p1", 5_000);
    complete.put("amount", 0).put("capability", "Code_Review");
    complete.putObject("rating_changes").putObject("_escrow").put("proposer_stake", 5);
    ObjectNode mutual = receipt("@s", 2, "p2", 6_000).put("type", "DISPUTE");
    mutual.put("settlement", "mutual").put("amount", 2.5).put("currency", "TEST");
    ObjectNode unilateral = receipt("@s", 3, "p3", 7_000).put("type", "DISPUTE");
    unilateral.put("settlement", "unilateral").put("disputed_by", B);

    Deal completed = ReceiptReplay.deal(complete);
    Deal burned = ReceiptReplay.deal(mutual);
    Deal won = ReceiptReplay.deal(unilateral);

    assertEquals(Verdict.COMPLETED, completed.verdict());
    assertEquals("aaaaaaaaaaaaaaaa", completed.from());
    assertNull(completed.amount(), "only a positive amount weighs");
    assertEquals("code_review", completed.capability());
    assertEquals(5, completed.proposerStake());
    assertEquals(0, completed.acceptorStake());
    assertEquals(Verdict.MUTUAL, burned.verdict());
    assertEquals(new BigDecimal("2.5"), burned.amount());
    mutual.putNull("currency");
    assertNull(ReceiptReplay.deal(mutual).amount(), "an amount without a currency weighs nothing");
    assertEquals(Verdict.UNILATERAL, won.verdict());
    assertEquals("bbbbbbbbbbbbbbbb", won.disputer());
    assertEquals(7_000, won.at());
  }

  @Test
  void aReplayMovesRatingsAsTheFormulasDo() {
    RatingBook book = ReceiptReplay.replay(List.of(receipt("@s", 1, "p1", 1_000)));

    assertEquals(1208, book.rating("aaaaaaaaaaaaaaaa").rating());
    assertEquals(1, book.rating("bbbbbbbbbbbbbbbb").transactions());
  }
}
