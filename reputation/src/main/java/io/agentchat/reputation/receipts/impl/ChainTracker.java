package io.agentchat.reputation.receipts.impl;

import java.util.List;
import java.util.Objects;

/**
 * The checks that need the receipts before: the exported agent's hash chain, increasing settlement
 * numbers, one settlement per proposal, and that every receipt is the agent's. Fed in file order
 * from one thread; not thread-safe.
 */
public final class ChainTracker {
  private final String agent;
  private final FingerprintSet seen = new FingerprintSet();
  private String lastHash;
  private boolean lastKnown = true;
  private long lastLine;
  private Long lastSeq;
  private long count;
  private long breaks;

  /**
   * @param agent the exported agent ({@code "@"} + id), or null when the file has no HEAD to say
   *     whose chain it is; then only duplicates and order are checked
   */
  public ChainTracker(String agent) {
    this.agent = agent;
  }

  /**
   * Checks the next receipt of the file and adds what is wrong to {@code problems}.
   *
   * @param receipt the receipt as checked on its own
   * @param line where it starts in the file
   * @param problems its problems so far; added to
   */
  public void accept(CheckedReceipt receipt, long line, List<String> problems) {
    String id = receipt.proposalId();
    if (id != null) {
      long before = seen.add(id, line);
      if (before >= 0) {
        problems.add("proposal " + id + " is settled twice (also on line " + before + ")");
      }
    }
    if (agent != null && receipt.from() != null && receipt.to() != null) {
      if (!receipt.involves(agent)) {
        problems.add(
            "does not involve "
                + agent
                + ", whose export this is: it is between "
                + receipt.from()
                + " and "
                + receipt.to());
        return;
      }
      checkLink(receipt, problems);
    }
    count++;
    checkOrder(receipt, problems);
    lastHash = receipt.hash();
    lastKnown = receipt.hash() != null;
    lastLine = line;
  }

  /** How many receipts of the chain were seen (all receipts when the agent is unknown). */
  public long count() {
    return count;
  }

  /** The stated hash of the chain's last receipt, or null when there was none. */
  public String lastHash() {
    return lastHash;
  }

  /** Whether the last receipt's hash could be read, so {@link #lastHash()} can be compared. */
  public boolean lastHashKnown() {
    return lastKnown;
  }

  /** How many receipts did not link to the one before. */
  public long breaks() {
    return breaks;
  }

  private void checkLink(CheckedReceipt receipt, List<String> problems) {
    if (receipt.prev() == null || !lastKnown) {
      // Unreadable here or just before: already reported, and there is nothing to compare.
      return;
    }
    String prev = receipt.prev().get(agent);
    if (!Objects.equals(prev, lastHash)) {
      breaks++;
      problems.add(
          "chain broken: prev["
              + agent
              + "] is "
              + Show.hash(prev)
              + ", expected "
              + (lastHash == null
                  ? "null (the first receipt of the chain)"
                  : Show.hash(lastHash) + " (the receipt on line " + lastLine + ")"));
    }
  }

  private void checkOrder(CheckedReceipt receipt, List<String> problems) {
    Long seq = receipt.seq();
    if (seq == null) {
      return;
    }
    if (lastSeq != null && seq <= lastSeq) {
      problems.add("seq " + seq + " does not follow seq " + lastSeq + " of the receipt before");
    }
    lastSeq = seq;
  }
}
