package io.agentchat.reputation.elo;

import static io.agentchat.reputation.elo.Deals.HOUR;
import static io.agentchat.reputation.elo.Deals.T0;
import static io.agentchat.reputation.elo.Deals.deal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Completions (protocol facts §12.2, §12.4) and our pair cooldown. */
class EloCompletionTest {

  private static Outcome settle(Deal deal, Rated from, Rated to, PairHistory pair) {
    return Elo.settle(deal, from, to, null, null, pair);
  }

  @Test
  void aFreshPairsFirstCompletionGivesEachEightPoints() {
    Outcome outcome =
        settle(deal("alice", "bob").completed(), Rated.UNRATED, Rated.UNRATED, PairHistory.NONE);

    assertEquals(new PartyChange("alice", 1200, 1208, 8, 1), outcome.from());
    assertEquals(new PartyChange("bob", 1200, 1208, 8, 1), outcome.to());
    assertEquals(new PairHistory(1, T0), outcome.pairAfter());
    assertEquals(Optional.empty(), outcome.escrow());
    assertEquals(Optional.empty(), outcome.cooldown());
    assertEquals(Optional.empty(), outcome.capability());
    assertFalse(outcome.onCooldown());
  }

  @Test
  void theSamePairAnHourLaterGainsHalfAsMuch() {
    Rated after = new Rated(1208, 1);
    Outcome outcome =
        settle(
            deal("alice", "bob").at(T0 + HOUR).completed(), after, after, new PairHistory(1, T0));

    assertEquals(new PartyChange("alice", 1208, 1212, 4, 2), outcome.from());
    assertEquals(new PartyChange("bob", 1208, 1212, 4, 2), outcome.to());
    assertEquals(new PairHistory(2, T0 + HOUR), outcome.pairAfter());
  }

  @Test
  void theGainShrinksWithEveryCompletionOfThePair() {
    Outcome fifth =
        settle(
            deal("alice", "bob").at(T0 + 10 * HOUR).completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            new PairHistory(4, T0));

    // full 16, n = 5: 16 / 2 / 5 = 1.6
    assertEquals(2, fifth.from().change());
    assertEquals(new PairHistory(5, T0 + 10 * HOUR), fifth.pairAfter());

    Outcome twentieth =
        settle(
            deal("alice", "bob").at(T0 + 30 * HOUR).completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            new PairHistory(19, T0));
    assertEquals(1, twentieth.from().change());
    assertEquals(1, twentieth.to().change());
  }

  @Test
  void anAmountOfTenGivesSeventeen() {
    Outcome outcome =
        settle(
            deal("alice", "bob").amount("10").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE);

    assertEquals(new PartyChange("alice", 1200, 1217, 17, 1), outcome.from());
    assertEquals(new PartyChange("bob", 1200, 1217, 17, 1), outcome.to());
  }

  @Test
  void anAmountOfAHundredIsCappedAtThreeTimesK() {
    Outcome hundred =
        settle(
            deal("alice", "bob").amount("100").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE);
    assertEquals(24, hundred.from().change());
    assertEquals(24, hundred.to().change());

    Outcome million =
        settle(
            deal("alice", "bob").amount("1000000").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE);
    assertEquals(24, million.from().change());
  }

  @Test
  void aZeroOrNegativeAmountWeighsNothing() {
    for (String amount : new String[] {"0", "0.00", "-10"}) {
      Outcome outcome =
          settle(
              deal("alice", "bob").amount(amount).completed(),
              Rated.UNRATED,
              Rated.UNRATED,
              PairHistory.NONE);
      assertEquals(8, outcome.from().change(), amount);
    }
  }

  @Test
  void theHigherRatedSideGainsLess() {
    Outcome outcome =
        settle(
            deal("alice", "bob").completed(),
            new Rated(1500, 10),
            new Rated(1200, 10),
            PairHistory.NONE);

    // alice: full 5, 2.5 rounds up; bob: full 27, 13.5 rounds up
    assertEquals(new PartyChange("alice", 1500, 1503, 3, 11), outcome.from());
    assertEquals(new PartyChange("bob", 1200, 1214, 14, 11), outcome.to());
  }

  @Test
  void eachPartysKFactorFollowsItsOwnTransactionsBeforeTheDeal() {
    Outcome newAndIntermediate =
        settle(
            deal("alice", "bob").completed(),
            new Rated(1200, 29),
            new Rated(1200, 30),
            PairHistory.NONE);
    assertEquals(new PartyChange("alice", 1200, 1208, 8, 30), newAndIntermediate.from());
    assertEquals(new PartyChange("bob", 1200, 1206, 6, 31), newAndIntermediate.to());

    Outcome intermediateAndEstablished =
        settle(
            deal("alice", "bob").completed(),
            new Rated(1200, 99),
            new Rated(1200, 100),
            PairHistory.NONE);
    assertEquals(new PartyChange("alice", 1200, 1206, 6, 100), intermediateAndEstablished.from());
    assertEquals(new PartyChange("bob", 1200, 1204, 4, 101), intermediateAndEstablished.to());
  }

  @Test
  void stakesAreReturnedOnlyWhenSomeoneStaked() {
    Outcome staked =
        settle(
            deal("alice", "bob").stakes(10, 0).completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE);
    assertEquals(Optional.of(Escrow.returned(10, 0)), staked.escrow());
    assertEquals(8, staked.from().change());

    Outcome acceptorOnly =
        settle(
            deal("alice", "bob").stakes(0, 3).completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            PairHistory.NONE);
    assertEquals(Optional.of(Escrow.returned(0, 3)), acceptorOnly.escrow());

    Outcome unstaked =
        settle(deal("alice", "bob").completed(), Rated.UNRATED, Rated.UNRATED, PairHistory.NONE);
    assertEquals(Optional.empty(), unstaked.escrow());
  }

  @Test
  void aCompletionWithinAnHourOfThePairsLastOneMovesNothing() {
    Rated alice = new Rated(1208, 1);
    Rated bob = new Rated(1208, 1);
    PairHistory pair = new PairHistory(1, T0);

    Outcome outcome = settle(deal("bob", "alice").at(T0 + HOUR / 2).completed(), bob, alice, pair);

    assertTrue(outcome.onCooldown());
    assertEquals(new PartyChange("bob", 1208, 1208, 0, 1), outcome.from());
    assertEquals(new PartyChange("alice", 1208, 1208, 0, 1), outcome.to());
    assertEquals(Optional.of(new Cooldown(T0, T0 + HOUR)), outcome.cooldown());
    assertEquals("pair completed less than an hour ago", outcome.cooldown().get().reason());
    assertEquals(pair, outcome.pairAfter());
    assertEquals(Optional.empty(), outcome.escrow());
  }

  @Test
  void theCooldownEndsExactlyAnHourAfterThePairsLastCompletion() {
    PairHistory pair = new PairHistory(1, T0);
    Rated rated = new Rated(1208, 1);

    Outcome justBefore =
        settle(deal("alice", "bob").at(T0 + HOUR - 1).completed(), rated, rated, pair);
    assertTrue(justBefore.onCooldown());
    assertEquals(0, justBefore.from().change());

    Outcome onTheHour = settle(deal("alice", "bob").at(T0 + HOUR).completed(), rated, rated, pair);
    assertFalse(onTheHour.onCooldown());
    assertEquals(4, onTheHour.from().change());
  }

  @Test
  void stakesComeBackEvenOnCooldown() {
    Outcome outcome =
        settle(
            deal("alice", "bob").stakes(10, 20).at(T0 + 1).completed(),
            new Rated(1208, 1),
            new Rated(1208, 1),
            new PairHistory(1, T0));

    assertTrue(outcome.onCooldown());
    assertEquals(Optional.of(Escrow.returned(10, 20)), outcome.escrow());
    assertEquals(0, outcome.to().change());
  }

  @Test
  void disputesIgnoreThePairCooldownAndLeaveThePairAlone() {
    PairHistory pair = new PairHistory(1, T0);
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").at(T0 + 60_000).disputedBy("bob"),
            new Rated(1208, 1),
            new Rated(1208, 1),
            null,
            null,
            pair);

    assertFalse(outcome.onCooldown());
    assertEquals(-16, outcome.from().change());
    assertEquals(8, outcome.to().change());
    assertEquals(pair, outcome.pairAfter());
  }
}
