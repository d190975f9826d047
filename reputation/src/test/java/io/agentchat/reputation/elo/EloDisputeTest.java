package io.agentchat.reputation.elo;

import static io.agentchat.reputation.elo.Deals.T0;
import static io.agentchat.reputation.elo.Deals.deal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Unilateral disputes and mutual fault (protocol facts §12.3, §12.4), and the rating floor. */
class EloDisputeTest {

  private static Outcome settle(Deal deal, Rated from, Rated to) {
    return Elo.settle(deal, from, to, null, null, PairHistory.NONE);
  }

  @Test
  void theDisputerGainsHalfWhatThePartyAtFaultLoses() {
    Outcome byRecipient =
        settle(deal("alice", "bob").disputedBy("bob"), Rated.UNRATED, Rated.UNRATED);
    assertEquals(new PartyChange("alice", 1200, 1184, -16, 1), byRecipient.from());
    assertEquals(new PartyChange("bob", 1200, 1208, 8, 1), byRecipient.to());
    assertEquals(Optional.of(Escrow.transferred(0, 0, "bob", 0)), byRecipient.escrow());

    Outcome byProposer =
        settle(deal("alice", "bob").disputedBy("alice"), Rated.UNRATED, Rated.UNRATED);
    assertEquals(new PartyChange("alice", 1200, 1208, 8, 1), byProposer.from());
    assertEquals(new PartyChange("bob", 1200, 1184, -16, 1), byProposer.to());
    assertEquals(Optional.of(Escrow.transferred(0, 0, "alice", 0)), byProposer.escrow());
  }

  @Test
  void theStakeAtFaultGoesToTheDisputer() {
    Outcome outcome =
        settle(deal("alice", "bob").stakes(10, 10).disputedBy("bob"), Rated.UNRATED, Rated.UNRATED);

    assertEquals(new PartyChange("alice", 1200, 1174, -26, 1), outcome.from());
    assertEquals(new PartyChange("bob", 1200, 1218, 18, 1), outcome.to());
    assertEquals(Optional.of(Escrow.transferred(10, 10, "bob", 10)), outcome.escrow());
  }

  @Test
  void theObservedDisputeBetweenTwo1217s() {
    // F (alice) staked 20, D (bob) staked 10: F −16 −20, D +8 +20; D's own stake comes back as is.
    Rated rated = new Rated(1217, 1);
    Outcome outcome =
        settle(deal("alice", "bob").stakes(20, 10).at(T0).disputedBy("bob"), rated, rated);

    assertEquals(new PartyChange("alice", 1217, 1181, -36, 2), outcome.from());
    assertEquals(new PartyChange("bob", 1217, 1245, 28, 2), outcome.to());
    assertEquals(Optional.of(Escrow.transferred(20, 10, "bob", 20)), outcome.escrow());
  }

  @Test
  void theAcceptorAtFaultForfeitsTheAcceptorStake() {
    Outcome outcome =
        settle(
            deal("alice", "bob").stakes(20, 10).disputedBy("alice"), Rated.UNRATED, Rated.UNRATED);

    assertEquals(18, outcome.from().change());
    assertEquals(-26, outcome.to().change());
    assertEquals(Optional.of(Escrow.transferred(20, 10, "alice", 10)), outcome.escrow());
  }

  @Test
  void theAmountAndTheKFactorOfThePartyAtFaultSetTheLoss() {
    Outcome weighted =
        settle(deal("alice", "bob").amount("10").disputedBy("bob"), Rated.UNRATED, Rated.UNRATED);
    // effK 65.32 × 0.5 = 32.66 → −33; half of 33 is 16.5 → 17
    assertEquals(-33, weighted.from().change());
    assertEquals(17, weighted.to().change());

    Outcome establishedAtFault =
        settle(deal("alice", "bob").disputedBy("bob"), new Rated(1200, 100), Rated.UNRATED);
    assertEquals(-8, establishedAtFault.from().change());
    assertEquals(4, establishedAtFault.to().change());

    Outcome establishedDisputer =
        settle(deal("alice", "bob").disputedBy("bob"), Rated.UNRATED, new Rated(1200, 100));
    assertEquals(-16, establishedDisputer.from().change());
    assertEquals(8, establishedDisputer.to().change());
  }

  @Test
  void aStrongerPartyAtFaultLosesMore() {
    Outcome outcome =
        settle(deal("alice", "bob").disputedBy("bob"), new Rated(1500, 5), new Rated(1200, 5));
    // 32 × E(1500, 1200) = 27.17 → −27; half of 27 is 13.5 → 14
    assertEquals(new PartyChange("alice", 1500, 1473, -27, 6), outcome.from());
    assertEquals(new PartyChange("bob", 1200, 1214, 14, 6), outcome.to());
  }

  @Test
  void noRatingFallsBelowTheFloor() {
    Rated low = new Rated(110, 5);
    Outcome outcome = settle(deal("alice", "bob").disputedBy("bob"), low, low);

    // The change reports what the formula gave, as the reference does; the rating stops at 100.
    assertEquals(new PartyChange("alice", 110, 100, -16, 6), outcome.from());
    assertEquals(new PartyChange("bob", 110, 118, 8, 6), outcome.to());

    Outcome atTheFloor =
        settle(deal("alice", "bob").disputedBy("bob"), new Rated(100, 5), new Rated(100, 5));
    assertEquals(new PartyChange("alice", 100, 100, -16, 6), atTheFloor.from());
  }

  @Test
  void mutualFaultCostsBothTheirLossAndTheirOwnStake() {
    Outcome unstaked = settle(deal("alice", "bob").mutualFault(), Rated.UNRATED, Rated.UNRATED);
    assertEquals(new PartyChange("alice", 1200, 1184, -16, 1), unstaked.from());
    assertEquals(new PartyChange("bob", 1200, 1184, -16, 1), unstaked.to());
    assertEquals(Optional.of(Escrow.burned(0, 0)), unstaked.escrow());

    Outcome staked =
        settle(deal("alice", "bob").stakes(10, 5).mutualFault(), Rated.UNRATED, Rated.UNRATED);
    assertEquals(new PartyChange("alice", 1200, 1174, -26, 1), staked.from());
    assertEquals(new PartyChange("bob", 1200, 1179, -21, 1), staked.to());
    assertEquals(new Escrow(10, 5, Escrow.Fate.BURNED, null, 15), staked.escrow().get());
  }

  @Test
  void mutualFaultWeighsEachSideByItsOwnExpectedScore() {
    Outcome outcome =
        settle(deal("alice", "bob").mutualFault(), new Rated(1500, 5), new Rated(1200, 100));
    // alice: 32 × 0.849 = 27.17 → −27; bob: 16 × 0.151 = 2.42 → −2
    assertEquals(new PartyChange("alice", 1500, 1473, -27, 6), outcome.from());
    assertEquals(new PartyChange("bob", 1200, 1198, -2, 101), outcome.to());
  }

  @Test
  void mutualFaultStopsAtTheFloorToo() {
    Outcome outcome =
        settle(
            deal("alice", "bob").stakes(50, 0).mutualFault(), new Rated(140, 0), new Rated(140, 0));
    assertEquals(new PartyChange("alice", 140, 100, -66, 1), outcome.from());
    assertEquals(new PartyChange("bob", 140, 124, -16, 1), outcome.to());
  }
}
