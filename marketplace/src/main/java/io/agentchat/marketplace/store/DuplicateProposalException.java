package io.agentchat.marketplace.store;

/**
 * The same signed proposal (same {@code signed_digest}) is already open, pending or accepted: a
 * replay or a double submission. A new one is allowed once the open one is closed.
 */
public final class DuplicateProposalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String openProposalId;

  /**
   * @param openProposalId id of the open proposal with the same digest
   */
  public DuplicateProposalException(String openProposalId) {
    super("Duplicate of open proposal " + openProposalId);
    this.openProposalId = openProposalId;
  }

  /** Id of the open proposal that blocks the new one. */
  public String openProposalId() {
    return openProposalId;
  }
}
