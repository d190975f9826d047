package io.agentchat.relay.impl;

/**
 * Why the server closed a connection: the one record of every way a connection ends, with the
 * WebSocket close code and reason the peer sees. Logged on close.
 */
enum CloseReason {
  PEER_CLOSED((short) 1000, "Closed by peer"),
  PRE_AUTH_FLOOD((short) 1008, "Rate limit exceeded"),
  TOO_MANY_FROM_IP((short) 1008, "Too many connections from this IP"),
  FRAME_TOO_LARGE((short) 1009, "Frame too large"),
  SLOW_CONSUMER((short) 1008, "Slow consumer: outbound queue full"),
  DISPLACED((short) 1000, "Identity claimed by verified connection"),
  CHALLENGE_EXPIRED((short) 1000, "Challenge expired"),
  HEARTBEAT_TIMEOUT((short) 1001, "No pong to heartbeat"),
  SERVER_SHUTDOWN((short) 1001, "Server shutting down"),
  TRANSPORT_ERROR((short) 1011, "Transport error");

  final short code;
  final String text;

  CloseReason(short code, String text) {
    this.code = code;
    this.text = text;
  }
}
