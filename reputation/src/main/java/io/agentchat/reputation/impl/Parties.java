package io.agentchat.reputation.impl;

import java.util.List;

/** The two parties of a deal, in the order locks and pair keys use: agent id order. */
final class Parties {
  private Parties() {}

  /** Both ids, sorted. */
  static List<String> sorted(String a, String b) {
    return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
  }

  /** The unordered pair's key, {@code a|b} with the ids sorted (the reference's, without @). */
  static String pairKey(String a, String b) {
    List<String> s = sorted(a, b);
    return s.get(0) + "|" + s.get(1);
  }
}
