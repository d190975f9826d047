package io.agentchat.identity;

/**
 * Thrown when text or bytes are not an Ed25519 public or private key. Unchecked because a bad key
 * is a bad argument; the message describes what was wrong and never echoes the key material.
 */
public final class InvalidKeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a plain-language reason. */
  public InvalidKeyException(String message) {
    super(message);
  }

  /** Creates the exception with a plain-language reason and the lower-level cause. */
  public InvalidKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
