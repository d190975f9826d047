package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.store.Proposal;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who the two parties of recent proposals are, so a verb knows the other party before it touches
 * the database (parties never change once proposed). A miss only means the verb takes its full
 * transaction. Bounded; thread-safe.
 */
final class ProposalParties {
  private static final int MAX = 100_000;

  private record Parties(String from, String to) {}

  private final ConcurrentHashMap<String, Parties> byProposal = new ConcurrentHashMap<>();

  /** Remembers the parties of a proposal a verb has just read or written. */
  void remember(Proposal p) {
    if (byProposal.size() >= MAX) {
      byProposal.clear(); // a crude bound; a miss costs one transaction, not a wrong answer
    }
    byProposal.put(p.id(), new Parties(p.fromAgent(), p.toAgent()));
  }

  /** The party of {@code proposalId} other than {@code agentId}, or null if not known here. */
  String otherThan(String proposalId, String agentId) {
    Parties p = byProposal.get(proposalId);
    if (p == null) {
      return null;
    }
    if (p.from().equals(agentId)) {
      return p.to();
    }
    return p.to().equals(agentId) ? p.from() : null;
  }
}
