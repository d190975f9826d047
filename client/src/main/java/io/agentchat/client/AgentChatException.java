package io.agentchat.client;

import io.agentchat.protocol.ErrorCode;

/**
 * A request or login failed. Either the server refused it with an ERROR frame ({@link #code()} is
 * the frame's code and the message its text, both as the server sent them), or the client gave up
 * locally — timeout, closed connection, unreachable server — and {@link #code()} is null. Created
 * without a stack trace: the message is the whole story.
 */
public final class AgentChatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  /**
   * Creates a failure.
   *
   * @param code the ERROR frame's code, or null for a local failure
   * @param message a plain-language message fit to show a user
   */
  public AgentChatException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** A failure found by the client itself (timeout, connection closed, …). */
  public static AgentChatException local(String message) {
    return new AgentChatException(null, message);
  }

  /** The ERROR frame's code as sent by the server, or null for a local failure. */
  public String code() {
    return code;
  }

  /** The code as an {@link ErrorCode}, or null when local or unknown to this library. */
  public ErrorCode errorCode() {
    if (code == null) {
      return null;
    }
    try {
      return ErrorCode.valueOf(code);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  /** The message followed by the code in parentheses when there is one. */
  public String describe() {
    return code == null ? getMessage() : getMessage() + " (" + code + ")";
  }
}
