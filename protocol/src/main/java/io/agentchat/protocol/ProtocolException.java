package io.agentchat.protocol;

/**
 * A frame was refused. Carries the ERROR code and the plain-language message the peer receives; it
 * never carries a stack trace to the wire, so it is created without one.
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  /** Creates a refusal with the given wire code and message. */
  public ProtocolException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** Shorthand for the most common refusal: a malformed frame. */
  public static ProtocolException invalid(String message) {
    return new ProtocolException(ErrorCode.INVALID_MSG, message);
  }

  /** The ERROR frame's {@code code}. */
  public ErrorCode code() {
    return code;
  }
}
