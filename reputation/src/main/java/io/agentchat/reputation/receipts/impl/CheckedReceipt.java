package io.agentchat.reputation.receipts.impl;

import java.util.List;
import java.util.Map;

/**
 * What checking one record of an export found, before the checks that need the records around it
 * (chain, order, duplicates).
 *
 * @param kind what the record is
 * @param proposalId the receipt's proposal id, or null when unreadable
 * @param from the proposer, or null when unreadable
 * @param to the recipient, or null when unreadable
 * @param seq the server's settlement number, or null when unreadable
 * @param hash the stated hash when it is well-formed, else null
 * @param prev each party's previous hash (values may be null), or null when unreadable
 * @param problems what is wrong with the record on its own, in plain words; empty when nothing
 */
public record CheckedReceipt(
    Kind kind,
    String proposalId,
    String from,
    String to,
    Long seq,
    String hash,
    Map<String, String> prev,
    List<String> problems) {

  /** What a record of an export is. */
  public enum Kind {
    /** A COMPLETE or DISPUTE receipt (or something that should have been one). */
    RECEIPT,
    /** A HEAD line. */
    HEAD
  }

  /** A record that could not be read as a receipt at all. */
  public static CheckedReceipt unreadable(String problem) {
    return new CheckedReceipt(Kind.RECEIPT, null, null, null, null, null, null, List.of(problem));
  }

  /** A HEAD line met while reading receipts; the HEAD itself is checked separately. */
  public static CheckedReceipt headLine() {
    return new CheckedReceipt(Kind.HEAD, null, null, null, null, null, null, List.of());
  }

  /** Whether {@code agent} is the proposer or the recipient. */
  public boolean involves(String agent) {
    return agent.equals(from) || agent.equals(to);
  }
}
