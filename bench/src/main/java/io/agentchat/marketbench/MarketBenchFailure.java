package io.agentchat.marketbench;

/** The run could not be set up or measured; the message is one line a user can act on. */
public final class MarketBenchFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public MarketBenchFailure(String message) {
    super(message);
  }
}
