package io.agentchat.reputation.elo;

import java.math.BigDecimal;

/** Deals for tests, built from what each test cares about: {@code deal("a", "b").completed()}. */
final class Deals {
  /** A completion or dispute time far from zero, so cooldown arithmetic is not trivially right. */
  static final long T0 = 1_700_000_000_000L;

  static final long HOUR = 3_600_000L;

  private Deals() {}

  static Builder deal(String from, String to) {
    return new Builder(from, to);
  }

  /** The terms of a deal; a verdict method ends it. */
  static final class Builder {
    private final String from;
    private final String to;
    private BigDecimal amount;
    private String capability;
    private long proposerStake;
    private long acceptorStake;
    private long at = T0;

    private Builder(String from, String to) {
      this.from = from;
      this.to = to;
    }

    Builder amount(String amount) {
      this.amount = new BigDecimal(amount);
      return this;
    }

    Builder capability(String capability) {
      this.capability = capability;
      return this;
    }

    Builder stakes(long proposerStake, long acceptorStake) {
      this.proposerStake = proposerStake;
      this.acceptorStake = acceptorStake;
      return this;
    }

    Builder at(long at) {
      this.at = at;
      return this;
    }

    Deal completed() {
      return build(Verdict.COMPLETED, null);
    }

    Deal disputedBy(String disputer) {
      return build(Verdict.UNILATERAL, disputer);
    }

    Deal mutualFault() {
      return build(Verdict.MUTUAL, null);
    }

    private Deal build(Verdict verdict, String disputer) {
      return new Deal(
          "prop_" + Long.toString(at, 36) + "_" + from + to,
          from,
          to,
          amount,
          capability,
          proposerStake,
          acceptorStake,
          verdict,
          disputer,
          at);
    }
  }
}
