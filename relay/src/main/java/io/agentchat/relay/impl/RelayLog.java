package io.agentchat.relay.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's structured log events. Each is one JSON line on stderr (the encoder is configured by
 * the application) with an {@code event} key and details. Message content appears only when the
 * operator asked for it with {@code --log-messages}; keys and signatures never do.
 */
final class RelayLog {
  private static final Logger LOG = LoggerFactory.getLogger("agentchat.relay");
  private final boolean logMessages;

  RelayLog(boolean logMessages) {
    this.logMessages = logMessages;
  }

  void connected(long conn, String ip) {
    LOG.atInfo()
        .addKeyValue("event", "connect")
        .addKeyValue("conn", conn)
        .addKeyValue("ip", ip)
        .log("connect");
  }

  void identified(long conn, String agent, boolean keyed) {
    LOG.atInfo()
        .addKeyValue("event", "identify")
        .addKeyValue("conn", conn)
        .addKeyValue("agent", agent)
        .addKeyValue("keyed", keyed)
        .log("identify");
  }

  void joined(String agent, String channel) {
    LOG.atInfo()
        .addKeyValue("event", "join")
        .addKeyValue("agent", agent)
        .addKeyValue("channel", channel)
        .log("join");
  }

  void refused(long conn, String agent, String frameType, String code) {
    LOG.atInfo()
        .addKeyValue("event", "refused")
        .addKeyValue("conn", conn)
        .addKeyValue("agent", agent)
        .addKeyValue("frame", frameType)
        .addKeyValue("code", code)
        .log("refused");
  }

  void closed(long conn, String agent, String reason, int code) {
    LOG.atInfo()
        .addKeyValue("event", "close")
        .addKeyValue("conn", conn)
        .addKeyValue("agent", agent)
        .addKeyValue("reason", reason)
        .addKeyValue("code", code)
        .log("close");
  }

  void message(String from, String to, String content) {
    if (logMessages) {
      LOG.atInfo()
          .addKeyValue("event", "msg")
          .addKeyValue("from", from)
          .addKeyValue("to", to)
          .addKeyValue("content", content)
          .log("msg");
    }
  }

  /** A bug of ours, never the client's fault: logged with its type only, not the frame. */
  void internalError(long conn, String frameType, Throwable error) {
    LOG.atError()
        .addKeyValue("event", "internal_error")
        .addKeyValue("conn", conn)
        .addKeyValue("frame", frameType)
        .addKeyValue("error", error.toString())
        .setCause(error)
        .log("internal error");
  }

  /**
   * Which Netty transport the relay's sockets use: a native one (epoll) when Vert.x was asked to
   * prefer it and could load it, else NIO, with the reason native was unavailable.
   */
  void transport(String name, Throwable nativeUnavailable) {
    var event = LOG.atInfo().addKeyValue("event", "transport").addKeyValue("transport", name);
    if (nativeUnavailable != null) {
      event = event.addKeyValue("native_unavailable", nativeUnavailable.toString());
    }
    event.log("transport " + name);
  }

  /** The HTTP API failed a request; the client got a 500 without the cause. */
  void apiFailed(String path, Throwable cause) {
    LOG.atWarn()
        .addKeyValue("event", "http_api_failed")
        .addKeyValue("path", path)
        .addKeyValue("error", String.valueOf(cause))
        .log("HTTP API request failed");
  }

  void lifecycle(String event, String detail) {
    LOG.atInfo().addKeyValue("event", event).log(detail);
  }
}
