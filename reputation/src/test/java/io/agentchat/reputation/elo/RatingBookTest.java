package io.agentchat.reputation.elo;

import static io.agentchat.reputation.elo.Deals.T0;
import static io.agentchat.reputation.elo.Deals.deal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Replaying a sequence of deals in memory, in the order given. */
class RatingBookTest {

  private static final long MINUTE = 60_000L;

  /**
   * Three agents over two hours: a cooldown inside the sequence (twice), the pair count growing to
   * three, an amount, stakes, a dispute and two capabilities.
   */
  private static List<Deal> twoHoursOfDeals() {
    return List.of(
        deal("alice", "bob").capability("code_review").at(T0).completed(),
        deal("bob", "alice").capability("code_review").at(T0 + 30 * MINUTE).completed(),
        deal("alice", "bob").at(T0 + 61 * MINUTE).completed(),
        deal("alice", "carol")
            .amount("10")
            .capability("Code_Review")
            .at(T0 + 62 * MINUTE)
            .completed(),
        deal("bob", "carol")
            .stakes(10, 5)
            .capability("translation")
            .at(T0 + 63 * MINUTE)
            .disputedBy("carol"),
        deal("bob", "alice").at(T0 + 100 * MINUTE).completed(),
        deal("alice", "bob").at(T0 + 121 * MINUTE).completed());
  }

  private static List<Outcome> replay(RatingBook book, List<Deal> deals) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Deal deal : deals) {
      outcomes.add(book.apply(deal));
    }
    return outcomes;
  }

  @Test
  void aReplayMovesRatingsDealByDeal() {
    RatingBook book = new RatingBook();
    List<Outcome> outcomes = replay(book, twoHoursOfDeals());

    // 1: a fresh pair, +8 each
    assertEquals(new PartyChange("alice", 1200, 1208, 8, 1), outcomes.get(0).from());
    assertEquals(new PartyChange("bob", 1200, 1208, 8, 1), outcomes.get(0).to());
    // 2: half an hour later, on cooldown
    assertTrue(outcomes.get(1).onCooldown());
    assertEquals(new PartyChange("bob", 1208, 1208, 0, 1), outcomes.get(1).from());
    // 3: 61 minutes after the first, 31 after the one on cooldown: applied, n = 2, +4
    assertFalse(outcomes.get(2).onCooldown());
    assertEquals(new PartyChange("alice", 1208, 1212, 4, 2), outcomes.get(2).from());
    assertEquals(new PartyChange("bob", 1208, 1212, 4, 2), outcomes.get(2).to());
    // 4: a new pair with an amount of 10: 1212 vs 1200, effK 65.32; full 32 and 34
    assertEquals(new PartyChange("alice", 1212, 1228, 16, 3), outcomes.get(3).from());
    assertEquals(new PartyChange("carol", 1200, 1217, 17, 1), outcomes.get(3).to());
    // 5: carol disputes; bob (1212) at fault against 1217 loses 16 and his stake of 10
    assertEquals(new PartyChange("bob", 1212, 1186, -26, 3), outcomes.get(4).from());
    assertEquals(new PartyChange("carol", 1217, 1235, 18, 2), outcomes.get(4).to());
    // 6: 39 minutes after the pair's last applied completion: on cooldown again
    assertEquals(
        Optional.of(new Cooldown(T0 + 61 * MINUTE, T0 + 121 * MINUTE)), outcomes.get(5).cooldown());
    // 7: exactly an hour after the last applied one: n = 3; 1228 vs 1186, full 14 and 18
    assertEquals(new PartyChange("alice", 1228, 1230, 2, 4), outcomes.get(6).from());
    assertEquals(new PartyChange("bob", 1186, 1189, 3, 4), outcomes.get(6).to());

    assertEquals(
        Map.of(
            "alice", new Rated(1230, 4),
            "bob", new Rated(1189, 4),
            "carol", new Rated(1235, 2)),
        book.ratings());
  }

  @Test
  void aCompletionOnCooldownNeitherCountsNorRestartsTheCooldown() {
    RatingBook book = new RatingBook();
    List<Deal> deals = twoHoursOfDeals();

    book.apply(deals.get(0));
    assertEquals(new PairHistory(1, T0), book.pair("alice", "bob"));

    Outcome onCooldown = book.apply(deals.get(1));
    assertEquals(
        "{\"last_completed_at\":1700000000000,\"until\":1700003600000,"
            + "\"reason\":\"pair completed less than an hour ago\"}",
        onCooldown.ratingChanges().get("_cooldown").toString());
    assertEquals(new PairHistory(1, T0), book.pair("alice", "bob"));
    assertEquals(new Rated(1208, 1), book.rating("alice"));
    assertEquals(new Rated(1208, 1), book.rating("bob"));

    Outcome second = book.apply(deals.get(2));
    assertFalse(second.onCooldown());
    assertEquals(new PairHistory(2, T0 + 61 * MINUTE), book.pair("bob", "alice"));
  }

  @Test
  void disputesLeaveThePairHistoryAlone() {
    RatingBook book = new RatingBook();
    replay(book, twoHoursOfDeals());

    assertEquals(new PairHistory(3, T0 + 121 * MINUTE), book.pair("alice", "bob"));
    assertEquals(new PairHistory(1, T0 + 62 * MINUTE), book.pair("carol", "alice"));
    assertEquals(PairHistory.NONE, book.pair("bob", "carol"));
  }

  @Test
  void capabilityRatingsAreKeptPerAgentAndLowerCased() {
    RatingBook book = new RatingBook();
    replay(book, twoHoursOfDeals());

    assertEquals(Map.of("code_review", new Rated(1224, 2)), book.capabilities("alice"));
    assertEquals(
        Map.of("code_review", new Rated(1208, 1), "translation", new Rated(1174, 1)),
        book.capabilities("bob"));
    assertEquals(
        Map.of("code_review", new Rated(1217, 1), "translation", new Rated(1218, 1)),
        book.capabilities("carol"));
    assertEquals(new Rated(1224, 2), book.rating("alice", "CODE_REVIEW"));
    assertEquals(Rated.UNRATED, book.rating("alice", "translation"));
    assertEquals(Map.of(), book.capabilities("dave"));
    assertEquals(
        List.of("code_review", "translation"), List.copyOf(book.capabilities("bob").keySet()));
  }

  @Test
  void applyingADealGivesWhatSettlingItAgainstTheBookGives() {
    RatingBook book = new RatingBook();
    for (Deal deal : twoHoursOfDeals()) {
      String capability = deal.capability();
      Outcome expected =
          Elo.settle(
              deal,
              book.rating(deal.from()),
              book.rating(deal.to()),
              capability == null ? null : book.rating(deal.from(), capability),
              capability == null ? null : book.rating(deal.to(), capability),
              book.pair(deal.from(), deal.to()));

      assertEquals(expected, book.apply(deal), deal.proposalId());
    }
  }

  @Test
  void unknownAgentsAreUnrated() {
    RatingBook book = new RatingBook();
    assertEquals(Rated.UNRATED, book.rating("nobody"));
    assertEquals(Rated.UNRATED, book.rating("nobody", "code_review"));
    assertEquals(PairHistory.NONE, book.pair("nobody", "else"));
    assertEquals(Map.of(), book.ratings());
  }

  @Test
  void ratingsAreASortedSnapshot() {
    RatingBook book = new RatingBook();
    book.apply(deal("zed", "amy").completed());
    book.apply(deal("mia", "amy").completed());
    Map<String, Rated> ratings = book.ratings();

    assertEquals(List.of("amy", "mia", "zed"), List.copyOf(ratings.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> ratings.put("x", Rated.UNRATED));

    book.apply(deal("bob", "amy").completed());
    assertEquals(3, ratings.size());
    assertEquals(4, book.ratings().size());
  }

  @Test
  void thePairKeySortsTheIds() {
    assertEquals("alice|bob", RatingBook.pairKey("alice", "bob"));
    assertEquals("alice|bob", RatingBook.pairKey("bob", "alice"));
  }
}
