package io.agentchat.client.daemon;

/** A daemon already runs under this name or for this identity; the message says which. */
public final class DaemonRunningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message fit to show a user. */
  public DaemonRunningException(String message) {
    super(message, null, false, false);
  }
}
