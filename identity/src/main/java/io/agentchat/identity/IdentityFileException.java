package io.agentchat.identity;

/**
 * An identity file could not be read or written. The message is one plain line naming the file, fit
 * to show a command-line user as is.
 */
public final class IdentityFileException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public IdentityFileException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the lower-level cause. */
  public IdentityFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
