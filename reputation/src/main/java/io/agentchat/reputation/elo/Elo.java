package io.agentchat.reputation.elo;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference's ELO formulas and constants (protocol facts §12) and {@link #settle}, which
 * applies them to one deal. Pure functions: no state, no I/O, safe from any thread.
 *
 * <p>Every formula computes in {@code double} exactly as the reference's JavaScript does and rounds
 * with {@link #jsRound}; ratings, changes, stakes and counts are {@code long}. Powers and
 * logarithms use {@link StrictMath}, whose results are the same on every JVM, so replaying the same
 * deals anywhere gives the same ratings.
 */
public final class Elo {
  /** The rating of an agent no deal has moved yet. */
  public static final long DEFAULT_RATING = 1200;

  /** No rating goes below this: new = max(FLOOR, old + change). */
  public static final long FLOOR = 100;

  /** The ELO divisor: 400 points of difference make the stronger side ten times as likely. */
  public static final double DIVISOR = 400;

  /** The amount weight of the K-factor never exceeds this. */
  public static final double MAX_AMOUNT_WEIGHT = 3;

  /** An applied completion of a pair holds the pair's next completions for this long (ms). */
  public static final long PAIR_COOLDOWN_MS = 3_600_000;

  private Elo() {}

  /**
   * The K-factor of an agent: 32 below 30 transactions, 24 below 100, then 16.
   *
   * @param transactionsBefore the agent's transactions before the deal being settled
   */
  public static long kFactor(long transactionsBefore) {
    if (transactionsBefore < 30) {
      return 32;
    }
    return transactionsBefore < 100 ? 24 : 16;
  }

  /**
   * The K-factor weighted by the deal's amount: K × min(1 + log10(amount + 1), 3) for a positive
   * amount, K otherwise.
   *
   * @param transactionsBefore the agent's transactions before the deal
   * @param amount the deal's amount, or null
   */
  public static double effectiveK(long transactionsBefore, BigDecimal amount) {
    double k = kFactor(transactionsBefore);
    if (amount == null || amount.signum() <= 0) {
      return k;
    }
    // The reference holds the amount as a JavaScript number: the nearest double.
    return k * Math.min(1 + StrictMath.log10(amount.doubleValue() + 1), MAX_AMOUNT_WEIGHT);
  }

  /**
   * The expected score of {@code self} against {@code other}: 1 / (1 + 10^((other − self)/400)).
   */
  public static double expected(long self, long other) {
    return 1 / (1 + StrictMath.pow(10, (other - self) / DIVISOR));
  }

  /**
   * JavaScript's {@code Math.round}: the nearest integer, halves towards positive infinity (2.5 →
   * 3, −2.5 → −2). Java's {@link Math#round(double)} does the same for every finite double,
   * including 0.49999999999999994 → 0, where a literal floor(x + 0.5) would give 1.
   */
  public static long jsRound(double x) {
    return Math.round(x);
  }

  /**
   * What a completion would give {@code self} before halving and the pair's count: max(1,
   * round(effK × (1 − E))).
   */
  public static long fullCompletionGain(Rated self, Rated other, BigDecimal amount) {
    double gain =
        effectiveK(self.transactions(), amount) * (1 - expected(self.rating(), other.rating()));
    return Math.max(1, jsRound(gain));
  }

  /**
   * What a completion gives: max(1, round(full / 2 / n)).
   *
   * @param fullGain the {@link #fullCompletionGain}
   * @param pairCompletions the pair's applied completions counting this one (n ≥ 1)
   */
  public static long completionGain(long fullGain, long pairCompletions) {
    if (pairCompletions < 1) {
      throw new IllegalArgumentException("a completion counts itself: " + pairCompletions);
    }
    // The reference writes full / 2 * (1 / n); the two agree on every reachable input (full is at
    // most 32 × 3 = 96), which EloFormulaTest checks.
    return Math.max(1, jsRound(fullGain / 2.0 / pairCompletions));
  }

  /** What a dispute costs {@code self}, stakes aside: −max(1, round(effK × E)), always negative. */
  public static long disputeLoss(Rated self, Rated other, BigDecimal amount) {
    double loss = effectiveK(self.transactions(), amount) * expected(self.rating(), other.rating());
    return -Math.max(1, jsRound(loss));
  }

  /**
   * ELO an agent can still stake: max(0, rating − activeStakes − {@link #FLOOR}).
   *
   * @param rating the agent's rating
   * @param activeStakes the sum of its stakes in deals not yet settled
   */
  public static long available(long rating, long activeStakes) {
    return Math.max(0, rating - activeStakes - FLOOR);
  }

  /**
   * Why a stake is refused, if it is: {@code Insufficient ELO. Available: {a}, Requested: {x}} when
   * {@code requested} is positive and more than {@code available}, prefixed {@code Proposer: } for
   * the proposer's stake (checked at ACCEPT, as the reference does). A stake of 0 or less is always
   * allowed.
   *
   * @param available what the agent can stake ({@link #available})
   * @param requested the stake asked for
   * @param proposer whether the stake is the proposer's
   * @return the refusal text, or empty when the stake is allowed
   */
  public static Optional<String> stakeRefusal(long available, long requested, boolean proposer) {
    if (requested <= 0 || requested <= available) {
      return Optional.empty();
    }
    String reason = "Insufficient ELO. Available: " + available + ", Requested: " + requested;
    return Optional.of(proposer ? "Proposer: " + reason : reason);
  }

  /**
   * Settles one deal: the parties' new standings, overall and for the deal's capability, the fate
   * of the stakes and the pair's history afterwards.
   *
   * <ul>
   *   <li>{@link Verdict#COMPLETED}: each gains {@link #completionGain}, stakes are returned;
   *       inside the pair cooldown nothing moves (change 0, no transaction counted, the pair's
   *       history kept) and the outcome says why.
   *   <li>{@link Verdict#UNILATERAL}: the party at fault gets its {@link #disputeLoss} minus its
   *       stake; the disputer half that loss (rounded) plus that stake.
   *   <li>{@link Verdict#MUTUAL}: each gets its {@link #disputeLoss} minus its own stake; both
   *       stakes are burned.
   * </ul>
   *
   * <p>Capability ratings move by the same change as the overall ones, from their own standing.
   *
   * @param deal the deal
   * @param from the proposer's overall standing before the deal
   * @param to the recipient's overall standing before the deal
   * @param fromCapability the proposer's standing for the deal's capability; null for {@link
   *     Rated#UNRATED}, ignored when the deal names none
   * @param toCapability the recipient's standing for the deal's capability, likewise
   * @param pair the pair's history before the deal
   */
  public static Outcome settle(
      Deal deal, Rated from, Rated to, Rated fromCapability, Rated toCapability, PairHistory pair) {
    Objects.requireNonNull(deal, "deal");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(pair, "pair");
    Before before =
        new Before(
            from,
            to,
            fromCapability == null ? Rated.UNRATED : fromCapability,
            toCapability == null ? Rated.UNRATED : toCapability);
    return switch (deal.verdict()) {
      case COMPLETED -> completion(deal, before, pair);
      case UNILATERAL -> unilateralDispute(deal, before, pair);
      case MUTUAL -> mutualFault(deal, before, pair);
    };
  }

  private static Outcome completion(Deal deal, Before before, PairHistory pair) {
    Optional<Escrow> escrow =
        deal.proposerStake() > 0 || deal.acceptorStake() > 0
            ? Optional.of(Escrow.returned(deal.proposerStake(), deal.acceptorStake()))
            : Optional.empty();
    Optional<Cooldown> cooldown = pair.cooldownAt(deal.at());
    if (cooldown.isPresent()) {
      // Where the reference refuses the update and leaves the stakes locked (facts §18), we settle
      // with no change, so the deal still ends and its stakes come back.
      return before.moved(deal, 0, 0, false, escrow, cooldown, pair);
    }
    long n = pair.completions() + 1;
    long fromGain = completionGain(fullCompletionGain(before.from, before.to, deal.amount()), n);
    long toGain = completionGain(fullCompletionGain(before.to, before.from, deal.amount()), n);
    return before.moved(
        deal, fromGain, toGain, true, escrow, Optional.empty(), pair.completedAt(deal.at()));
  }

  private static Outcome unilateralDispute(Deal deal, Before before, PairHistory pair) {
    boolean proposerAtFault = deal.atFault().equals(deal.from());
    Rated atFault = proposerAtFault ? before.from : before.to;
    Rated disputer = proposerAtFault ? before.to : before.from;
    long forfeit = deal.stakeOf(deal.atFault());
    long loss = disputeLoss(atFault, disputer, deal.amount());
    long faultChange = Math.subtractExact(loss, forfeit);
    long disputerChange = Math.addExact(jsRound(Math.abs(loss) * 0.5), forfeit);
    Escrow escrow =
        Escrow.transferred(deal.proposerStake(), deal.acceptorStake(), deal.disputer(), forfeit);
    return before.moved(
        deal,
        proposerAtFault ? faultChange : disputerChange,
        proposerAtFault ? disputerChange : faultChange,
        true,
        Optional.of(escrow),
        Optional.empty(),
        pair);
  }

  private static Outcome mutualFault(Deal deal, Before before, PairHistory pair) {
    long fromChange =
        Math.subtractExact(
            disputeLoss(before.from, before.to, deal.amount()), deal.proposerStake());
    long toChange =
        Math.subtractExact(
            disputeLoss(before.to, before.from, deal.amount()), deal.acceptorStake());
    Escrow escrow = Escrow.burned(deal.proposerStake(), deal.acceptorStake());
    return before.moved(
        deal, fromChange, toChange, true, Optional.of(escrow), Optional.empty(), pair);
  }

  /** Both parties' standings before a deal, overall and for its capability. */
  private record Before(Rated from, Rated to, Rated fromCapability, Rated toCapability) {

    Outcome moved(
        Deal deal,
        long fromChange,
        long toChange,
        boolean counted,
        Optional<Escrow> escrow,
        Optional<Cooldown> cooldown,
        PairHistory pairAfter) {
      Optional<CapabilityChange> capability =
          Optional.ofNullable(deal.capability())
              .map(
                  name ->
                      new CapabilityChange(
                          name,
                          move(deal.from(), fromCapability, fromChange, counted),
                          move(deal.to(), toCapability, toChange, counted)));
      return new Outcome(
          move(deal.from(), from, fromChange, counted),
          move(deal.to(), to, toChange, counted),
          capability,
          escrow,
          cooldown,
          pairAfter);
    }

    private static PartyChange move(String agentId, Rated before, long change, boolean counted) {
      if (!counted) {
        return new PartyChange(agentId, before.rating(), before.rating(), 0, before.transactions());
      }
      long rating = Math.max(FLOOR, Math.addExact(before.rating(), change));
      return new PartyChange(
          agentId, before.rating(), rating, change, Math.addExact(before.transactions(), 1));
    }
  }
}
