package io.agentchat.bench;

/**
 * A run that could not set up its load (connections refused, logins or joins failing or timing
 * out); the message is one line for the user, with counts.
 */
public final class BenchFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public BenchFailure(String message) {
    super(message);
  }
}
