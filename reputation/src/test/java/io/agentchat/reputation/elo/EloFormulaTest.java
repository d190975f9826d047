package io.agentchat.reputation.elo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reference's constants and formulas (protocol facts §12.1, §12.5). */
class EloFormulaTest {

  @Test
  void theConstantsAreTheReferences() {
    assertEquals(1200, Elo.DEFAULT_RATING);
    assertEquals(100, Elo.FLOOR);
    assertEquals(400, Elo.DIVISOR);
    assertEquals(3_600_000, Elo.PAIR_COOLDOWN_MS);
    assertEquals(new Rated(1200, 0), Rated.UNRATED);
    assertEquals(new PairHistory(0, null), PairHistory.NONE);
  }

  @Test
  void theKFactorDropsAtThirtyAndAtAHundredTransactions() {
    assertEquals(32, Elo.kFactor(0));
    assertEquals(32, Elo.kFactor(29));
    assertEquals(24, Elo.kFactor(30));
    assertEquals(24, Elo.kFactor(99));
    assertEquals(16, Elo.kFactor(100));
    assertEquals(16, Elo.kFactor(1_000_000));
  }

  @Test
  void onlyAPositiveAmountWeightsTheKFactor() {
    assertEquals(32, Elo.effectiveK(0, null));
    assertEquals(32, Elo.effectiveK(0, BigDecimal.ZERO));
    assertEquals(32, Elo.effectiveK(0, new BigDecimal("-5")));
    assertEquals(24, Elo.effectiveK(30, null));
    assertEquals(32 * (1 + Math.log10(11)), Elo.effectiveK(0, BigDecimal.TEN), 1e-12);
    assertEquals(65.32, Elo.effectiveK(0, BigDecimal.TEN), 0.005);
    assertEquals(16 * (1 + Math.log10(1.5)), Elo.effectiveK(100, new BigDecimal("0.5")), 1e-12);
  }

  @Test
  void theAmountWeightIsCappedAtThree() {
    assertEquals(96, Elo.effectiveK(0, new BigDecimal("99")), 1e-12);
    assertEquals(96, Elo.effectiveK(0, new BigDecimal("100")));
    assertEquals(96, Elo.effectiveK(0, new BigDecimal("1e30")));
    assertEquals(48, Elo.effectiveK(100, new BigDecimal("1000000")));
  }

  @Test
  void theExpectedScoreIsTheStandardEloCurve() {
    assertEquals(0.5, Elo.expected(1200, 1200));
    assertEquals(1 / (1 + Math.pow(10, -0.75)), Elo.expected(1500, 1200), 1e-15);
    assertEquals(1 / (1 + Math.pow(10, 0.75)), Elo.expected(1200, 1500), 1e-15);
    assertEquals(1.0, Elo.expected(1500, 1200) + Elo.expected(1200, 1500), 1e-15);
    assertEquals(10.0 / 11, Elo.expected(1600, 1200), 1e-15);
  }

  @Test
  void roundingIsJavaScriptsMathRound() {
    assertEquals(3, Elo.jsRound(2.5));
    assertEquals(-2, Elo.jsRound(-2.5));
    assertEquals(-3, Elo.jsRound(-2.51));
    assertEquals(17, Elo.jsRound(16.5));
    assertEquals(0, Elo.jsRound(0.49999999999999994));
    assertEquals(0, Elo.jsRound(-0.5));
    assertEquals(5, Elo.jsRound(4.83));
  }

  @Test
  void aCompletionGainsAtLeastOnePoint() {
    assertEquals(16, Elo.fullCompletionGain(Rated.UNRATED, Rated.UNRATED, null));
    assertEquals(5, Elo.fullCompletionGain(new Rated(1500, 0), Rated.UNRATED, null));
    assertEquals(27, Elo.fullCompletionGain(Rated.UNRATED, new Rated(1500, 0), null));
    assertEquals(1, Elo.fullCompletionGain(new Rated(3000, 200), new Rated(100, 0), null));
    assertEquals(8, Elo.completionGain(16, 1));
    assertEquals(4, Elo.completionGain(16, 2));
    assertEquals(3, Elo.completionGain(5, 1));
    assertEquals(1, Elo.completionGain(1, 1));
    assertEquals(1, Elo.completionGain(16, 1000));
    assertThrows(IllegalArgumentException.class, () -> Elo.completionGain(16, 0));
  }

  @Test
  void dividingByTheCountAgreesWithTheReferencesMultiplicationOnEveryReachableGain() {
    // The reference computes full / 2 * (1 / n); a full gain is at most 32 × 3 = 96.
    for (long full = 1; full <= 96; full++) {
      for (long n = 1; n <= 500; n++) {
        long reference = Math.max(1, Math.round(full / 2.0 * (1.0 / n)));
        assertEquals(reference, Elo.completionGain(full, n), full + " / 2 / " + n);
      }
    }
  }

  @Test
  void aDisputeLosesAtLeastOnePoint() {
    assertEquals(-16, Elo.disputeLoss(Rated.UNRATED, Rated.UNRATED, null));
    assertEquals(-33, Elo.disputeLoss(Rated.UNRATED, Rated.UNRATED, BigDecimal.TEN));
    assertEquals(-27, Elo.disputeLoss(new Rated(1500, 0), Rated.UNRATED, null));
    assertEquals(-1, Elo.disputeLoss(new Rated(100, 200), new Rated(3000, 0), null));
  }

  @Test
  void availableEloKeepsTheFloorAndActiveStakesBack() {
    assertEquals(1100, Elo.available(1200, 0));
    assertEquals(1070, Elo.available(1200, 30));
    assertEquals(0, Elo.available(100, 0));
    assertEquals(0, Elo.available(150, 80));
    assertEquals(1, Elo.available(131, 30));
  }

  @Test
  void aStakeAboveWhatIsAvailableIsRefusedWithTheReferencesText() {
    assertEquals(
        Optional.of("Insufficient ELO. Available: 1100, Requested: 1101"),
        Elo.stakeRefusal(1100, 1101, false));
    assertEquals(
        Optional.of("Proposer: Insufficient ELO. Available: 0, Requested: 5"),
        Elo.stakeRefusal(0, 5, true));
  }

  @Test
  void aStakeUpToWhatIsAvailableOrNotPositiveIsAllowed() {
    assertEquals(Optional.empty(), Elo.stakeRefusal(1100, 1100, false));
    assertEquals(Optional.empty(), Elo.stakeRefusal(1100, 1, true));
    assertEquals(Optional.empty(), Elo.stakeRefusal(0, 0, true));
    assertEquals(Optional.empty(), Elo.stakeRefusal(0, -10, false));
  }
}
