package io.agentchat.reputation.elo;

import static io.agentchat.reputation.elo.Deals.T0;
import static io.agentchat.reputation.elo.Deals.deal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What makes a deal, a standing or a pair history well-formed. */
class EloDealTest {

  @Test
  void anAgentCannotDealWithItself() {
    assertThrows(IllegalArgumentException.class, () -> deal("alice", "alice").completed());
    assertThrows(IllegalArgumentException.class, () -> deal("alice", "alice").mutualFault());
  }

  @Test
  void agentIdsAreBare() {
    assertThrows(IllegalArgumentException.class, () -> deal("@alice", "bob").completed());
    assertThrows(IllegalArgumentException.class, () -> deal("alice", "@bob").completed());
    assertThrows(IllegalArgumentException.class, () -> deal("", "bob").completed());
    assertThrows(IllegalArgumentException.class, () -> deal(null, "bob").completed());
  }

  @Test
  void stakesAreNeverNegative() {
    assertThrows(
        IllegalArgumentException.class, () -> deal("alice", "bob").stakes(-1, 0).completed());
    assertThrows(
        IllegalArgumentException.class, () -> deal("alice", "bob").stakes(0, -1).disputedBy("bob"));
  }

  @Test
  void onlyAUnilateralDisputeHasADisputerAndItIsAParty() {
    assertThrows(IllegalArgumentException.class, () -> deal("alice", "bob").disputedBy("carol"));
    assertThrows(IllegalArgumentException.class, () -> deal("alice", "bob").disputedBy(null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Deal("p", "alice", "bob", null, null, 0, 0, Verdict.COMPLETED, "alice", T0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Deal("p", "alice", "bob", null, null, 0, 0, Verdict.MUTUAL, "bob", T0));
  }

  @Test
  void thePartyAtFaultIsTheOneThatDidNotDispute() {
    assertEquals("alice", deal("alice", "bob").disputedBy("bob").atFault());
    assertEquals("bob", deal("alice", "bob").disputedBy("alice").atFault());
    assertThrows(IllegalStateException.class, () -> deal("alice", "bob").completed().atFault());
  }

  @Test
  void eachPartysStakeIsItsOwn() {
    Deal deal = deal("alice", "bob").stakes(20, 10).completed();
    assertEquals(20, deal.stakeOf("alice"));
    assertEquals(10, deal.stakeOf("bob"));
    assertThrows(IllegalArgumentException.class, () -> deal.stakeOf("carol"));
  }

  @Test
  void theCapabilityIsLowerCasedWhateverTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr"));
    try {
      // In Turkish, "I".toLowerCase() is a dotless ı.
      assertEquals(
          "inspection", deal("alice", "bob").capability("INSPECTION").completed().capability());
    } finally {
      Locale.setDefault(saved);
    }
    assertNull(deal("alice", "bob").capability("").completed().capability());
    assertNull(deal("alice", "bob").completed().capability());
  }

  @Test
  void theAmountIsKeptExactly() {
    assertEquals(new BigDecimal("0.10"), deal("alice", "bob").amount("0.10").completed().amount());
  }

  @Test
  void settlingNeedsBothStandingsAndThePair() {
    Deal deal = deal("alice", "bob").completed();
    assertThrows(
        NullPointerException.class,
        () -> Elo.settle(deal, null, Rated.UNRATED, null, null, PairHistory.NONE));
    assertThrows(
        NullPointerException.class,
        () -> Elo.settle(deal, Rated.UNRATED, Rated.UNRATED, null, null, null));
  }

  @Test
  void standingsAndPairHistoriesAreConsistent() {
    assertThrows(IllegalArgumentException.class, () -> new Rated(1200, -1));
    assertThrows(IllegalArgumentException.class, () -> new PairHistory(0, T0));
    assertThrows(IllegalArgumentException.class, () -> new PairHistory(1, null));
    assertThrows(IllegalArgumentException.class, () -> new PairHistory(-1, null));
    assertEquals(new PairHistory(3, T0 + 5), new PairHistory(2, T0).completedAt(T0 + 5));
  }
}
