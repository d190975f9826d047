package io.agentchat.reputation.receipts;

/**
 * A file given to the verifier cannot be used at all: it is missing, unreadable, empty, or not a
 * receipts export (not JSON). The message is one plain line naming the file. A file that is a
 * receipts export but holds bad receipts is not an error: the verifier reports problems instead.
 */
public final class ReceiptFileException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public ReceiptFileException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the lower-level cause. */
  public ReceiptFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
