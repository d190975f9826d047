package io.agentchat.reputation.elo;

import static io.agentchat.reputation.elo.Deals.HOUR;
import static io.agentchat.reputation.elo.Deals.T0;
import static io.agentchat.reputation.elo.Deals.deal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The {@code rating_changes} member as COMPLETE and DISPUTE frames carry it: members, their order
 * and their values, compared as the exact JSON text.
 */
class EloRatingChangesTest {

  private static String ratingChanges(Deal deal, Rated from, Rated to, PairHistory pair) {
    return Elo.settle(deal, from, to, null, null, pair).ratingChanges().toString();
  }

  @Test
  void aCompletionWithoutStakesCarriesTheTwoPartiesOnly() {
    assertEquals(
        "{\"@alice\":{\"oldRating\":1200,\"newRating\":1208,\"change\":8,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1200,\"newRating\":1208,\"change\":8,\"transactions\":1}}",
        ratingChanges(
            deal("alice", "bob").completed(), Rated.UNRATED, Rated.UNRATED, PairHistory.NONE));
  }

  @Test
  void theProposerComesFirstWhateverTheIds() {
    assertEquals(
        "{\"@zed\":{\"oldRating\":1500,\"newRating\":1503,\"change\":3,\"transactions\":11},"
            + "\"@amy\":{\"oldRating\":1200,\"newRating\":1214,\"change\":14,\"transactions\":11}}",
        ratingChanges(
            deal("zed", "amy").completed(),
            new Rated(1500, 10),
            new Rated(1200, 10),
            PairHistory.NONE));
  }

  @Test
  void aStakedCompletionSaysTheStakesWereReturned() {
    assertEquals(
        "{\"@alice\":{\"oldRating\":1200,\"newRating\":1217,\"change\":17,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1200,\"newRating\":1217,\"change\":17,\"transactions\":1},"
            + "\"_escrow\":{\"proposer_stake\":25,\"acceptor_stake\":0,"
            + "\"settlement\":\"returned\"}}",
        ratingChanges(
            deal("alice", "bob").amount("10").stakes(25, 0).completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE));
  }

  @Test
  void aUnilateralDisputeAlwaysSaysWhereTheStakeAtFaultWent() {
    assertEquals(
        "{\"@alice\":{\"oldRating\":1217,\"newRating\":1181,\"change\":-36,\"transactions\":2},"
            + "\"@bob\":{\"oldRating\":1217,\"newRating\":1245,\"change\":28,\"transactions\":2},"
            + "\"_escrow\":{\"proposer_stake\":20,\"acceptor_stake\":10,"
            + "\"settlement\":\"transferred\",\"transferred_to\":\"@bob\","
            + "\"transferred_amount\":20}}",
        ratingChanges(
            deal("alice", "bob").stakes(20, 10).disputedBy("bob"),
            new Rated(1217, 1),
            new Rated(1217, 1),
            PairHistory.NONE));

    assertEquals(
        "{\"@alice\":{\"oldRating\":1200,\"newRating\":1208,\"change\":8,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1200,\"newRating\":1184,\"change\":-16,\"transactions\":1},"
            + "\"_escrow\":{\"proposer_stake\":0,\"acceptor_stake\":0,"
            + "\"settlement\":\"transferred\",\"transferred_to\":\"@alice\","
            + "\"transferred_amount\":0}}",
        ratingChanges(
            deal("alice", "bob").disputedBy("alice"),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE));
  }

  @Test
  void mutualFaultAlwaysSaysWhatWasBurned() {
    assertEquals(
        "{\"@alice\":{\"oldRating\":1200,\"newRating\":1174,\"change\":-26,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1200,\"newRating\":1179,\"change\":-21,\"transactions\":1},"
            + "\"_escrow\":{\"proposer_stake\":10,\"acceptor_stake\":5,"
            + "\"settlement\":\"burned\",\"burned_amount\":15}}",
        ratingChanges(
            deal("alice", "bob").stakes(10, 5).mutualFault(),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE));
  }

  @Test
  void aCompletionOnCooldownSaysWhyNothingMoved() {
    assertEquals(
        "{\"@alice\":{\"oldRating\":1208,\"newRating\":1208,\"change\":0,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1208,\"newRating\":1208,\"change\":0,\"transactions\":1},"
            + "\"_cooldown\":{\"last_completed_at\":1700000000000,\"until\":1700003600000,"
            + "\"reason\":\"pair completed less than an hour ago\"}}",
        ratingChanges(
            deal("alice", "bob").at(T0 + HOUR / 2).completed(),
            new Rated(1208, 1),
            new Rated(1208, 1),
            new PairHistory(1, T0)));
  }

  @Test
  void everyMemberComesInItsOrder() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").stakes(5, 7).capability("Code_Review").at(T0 + 1).completed(),
            new Rated(1208, 1),
            new Rated(1208, 1),
            new Rated(1208, 1),
            null,
            new PairHistory(1, T0));

    assertEquals(
        "{\"@alice\":{\"oldRating\":1208,\"newRating\":1208,\"change\":0,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1208,\"newRating\":1208,\"change\":0,\"transactions\":1},"
            + "\"_escrow\":{\"proposer_stake\":5,\"acceptor_stake\":7,"
            + "\"settlement\":\"returned\"},"
            + "\"_cooldown\":{\"last_completed_at\":1700000000000,\"until\":1700003600000,"
            + "\"reason\":\"pair completed less than an hour ago\"},"
            + "\"_capability\":{\"name\":\"code_review\","
            + "\"@alice\":{\"oldRating\":1208,\"newRating\":1208,\"change\":0,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1200,\"newRating\":1200,\"change\":0,\"transactions\":0}}}",
        outcome.ratingChanges().toString());
  }

  @Test
  void aDisputeAboutACapabilityCarriesItAfterTheEscrow() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").capability("translation").stakes(10, 10).disputedBy("bob"),
            Rated.UNRATED,
            Rated.UNRATED,
            new Rated(1300, 4),
            new Rated(1100, 2),
            PairHistory.NONE);

    assertEquals(
        "{\"@alice\":{\"oldRating\":1200,\"newRating\":1174,\"change\":-26,\"transactions\":1},"
            + "\"@bob\":{\"oldRating\":1200,\"newRating\":1218,\"change\":18,\"transactions\":1},"
            + "\"_escrow\":{\"proposer_stake\":10,\"acceptor_stake\":10,"
            + "\"settlement\":\"transferred\",\"transferred_to\":\"@bob\","
            + "\"transferred_amount\":10},\"_capability\":{\"name\":\"translation\","
            + "\"@alice\":{\"oldRating\":1300,\"newRating\":1274,\"change\":-26,"
            + "\"transactions\":5},"
            + "\"@bob\":{\"oldRating\":1100,\"newRating\":1118,\"change\":18,\"transactions\":3}}}",
        outcome.ratingChanges().toString());
  }

  @Test
  void eachCallGivesANodeOfItsOwn() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            null,
            null,
            PairHistory.NONE);

    ObjectNode first = outcome.ratingChanges();
    first.put("tampered", true);
    ObjectNode second = outcome.ratingChanges();

    assertNotSame(first, second);
    assertEquals(2, second.size());
  }
}
