package io.agentchat.marketplace.db;

/**
 * The marketplace database could not be started, reached or migrated. The message says what to fix
 * ("Cannot start embedded Postgres in …", "Cannot reach database at host:port: …") and never
 * contains a password.
 */
public final class DatabaseStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An operator-facing message and the failure behind it. */
  public DatabaseStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
