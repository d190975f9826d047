package io.agentchat.reputation;

import java.util.List;

/**
 * What an import did with each receipt of the file, in file order.
 *
 * @param receipts one line per receipt
 */
public record ImportReport(List<Line> receipts) {
  /** Counted in ratings: its server is trusted here. */
  public static final String COUNTED = "counted";

  /** Kept as history only: its server is not trusted here. */
  public static final String KEPT = "kept";

  /** Already kept here (same server and proposal): ignored. */
  public static final String DUPLICATE = "duplicate";

  public ImportReport {
    receipts = List.copyOf(receipts);
  }

  /** How many receipts had this result. */
  public long count(String result) {
    return receipts.stream().filter(l -> l.result().equals(result)).count();
  }

  /**
   * One receipt's fate.
   *
   * @param proposalId the deal it settles
   * @param server the server that issued it
   * @param result {@link #COUNTED}, {@link #KEPT} or {@link #DUPLICATE}
   */
  public record Line(String proposalId, String server, String result) {}
}
