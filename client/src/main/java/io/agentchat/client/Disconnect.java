package io.agentchat.client;

/**
 * How a connection ended, as given to {@link AgentChatClient#closeHandler}.
 *
 * @param code the WebSocket close code, or null when the socket dropped without a close frame
 * @param reason the close reason text, or null
 * @param byClient true when this client asked to close
 */
public record Disconnect(Short code, String reason, boolean byClient) {

  /** A one-line description such as {@code 1001 Server shutting down}. */
  public String describe() {
    if (code == null) {
      return "connection lost";
    }
    return reason == null || reason.isEmpty() ? code.toString() : code + " " + reason;
  }
}
