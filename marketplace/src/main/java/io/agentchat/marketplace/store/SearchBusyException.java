package io.agentchat.marketplace.store;

/** Too many searches are already waiting for the skill index; the caller may retry shortly. */
public final class SearchBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SearchBusyException() {
    super("Skill search is busy; try again shortly", null, false, false);
  }
}
