package io.agentchat.marketplace.store;

/**
 * A verb a party sends about an existing proposal, with what it records. Agent ids are bare, times
 * epoch milliseconds; {@link ProposalRepository#change} applies it.
 */
public sealed interface ProposalChange {

  /** The proposal it is about. */
  String proposalId();

  /** The agent sending it. */
  String agentId();

  /** When it is applied. */
  long at();

  /** Which verb it is. */
  ProposalVerb verb();

  /** ACCEPT with the acceptor's signature, payment code and stake. */
  record Accept(
      String proposalId, String agentId, long at, String sig, String paymentCode, Long stake)
      implements ProposalChange {
    @Override
    public ProposalVerb verb() {
      return ProposalVerb.ACCEPT;
    }
  }

  /** REJECT with the recipient's signature and reason. */
  record Reject(String proposalId, String agentId, long at, String sig, String reason)
      implements ProposalChange {
    @Override
    public ProposalVerb verb() {
      return ProposalVerb.REJECT;
    }
  }

  /**
   * COMPLETE with the completer's proof and signature.
   *
   * @param minAgeMillis how long the proposal must have been accepted (0: no minimum)
   */
  record Complete(
      String proposalId, String agentId, long at, String proof, String sig, long minAgeMillis)
      implements ProposalChange {
    @Override
    public ProposalVerb verb() {
      return ProposalVerb.COMPLETE;
    }

    /** The latest acceptance time that satisfies the minimum age at {@link #at}. */
    long acceptedNoLaterThan() {
      return minAgeMillis > 0 ? at - minAgeMillis : Long.MAX_VALUE;
    }
  }

  /**
   * DISPUTE with the disputer's reason and signature.
   *
   * @param settlesAt when the other party's contest window closes; {@link #at} or earlier settles
   *     the dispute at once (unilateral), as the reference does
   */
  record Dispute(
      String proposalId, String agentId, long at, String reason, String sig, long settlesAt)
      implements ProposalChange {
    @Override
    public ProposalVerb verb() {
      return ProposalVerb.DISPUTE;
    }

    /** Whether it settles as it is filed, with no contest window. */
    public boolean settlesAtOnce() {
      return settlesAt <= at;
    }
  }
}
