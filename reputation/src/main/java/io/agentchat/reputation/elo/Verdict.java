package io.agentchat.reputation.elo;

/** How a deal ended, which decides the formula that settles it (protocol facts §12.2, §12.3). */
public enum Verdict {
  /**
   * Completed: both parties gain, halved and divided by the pair's completions, stakes returned.
   */
  COMPLETED,
  /**
   * Disputed by one party: the other is at fault, loses and forfeits its stake to the disputer
   * (what every DISPUTE frame means).
   */
  UNILATERAL,
  /**
   * Both parties at fault: both lose and both stakes are burned (only replayed receipts without a
   * disputer end this way).
   */
  MUTUAL
}
