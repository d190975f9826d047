package io.agentchat.relay.impl;

import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.JavaScriptText;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;

/** MSG (channel and direct), FILE_CHUNK and TYPING. */
final class MessageRouter {
  private final RelayState state;
  private final String rateLimitText;

  MessageRouter(RelayState state) {
    this.state = state;
    double rate = state.options.msgRate();
    this.rateLimitText =
        "Rate limit exceeded (max "
            + JavaScriptText.number(rate)
            + (rate == 1 ? " message" : " messages")
            + " per second)";
  }

  void msg(AgentConnection c, ClientFrame.Msg f) {
    AgentSession s = c.requireSession();
    if (!c.takeMsgToken()) {
      throw new ProtocolException(ErrorCode.RATE_LIMITED, rateLimitText);
    }
    long now = state.now();
    if (f.to().startsWith("#")) {
      Channel channel = state.channels.existing(f.to());
      channel.requireMember(s);
      ServerFrame.Msg msg = message(s, f, now);
      channel.publish(
          OutboundFrame.of(msg), msg, null, out -> state.publishToChannel(channel.name, out));
    } else {
      AgentSession target = state.directory.online(f.to());
      ServerFrame.Msg msg = message(s, f, now);
      OutboundFrame out = OutboundFrame.of(msg);
      if (target != s) {
        state.sendToSession(target, out);
      }
      c.send(out);
    }
    state.log.message(s.wireId, f.to(), f.content());
  }

  private ServerFrame.Msg message(AgentSession s, ClientFrame.Msg f, long now) {
    return new ServerFrame.Msg(
        now,
        s.wireId,
        s.name,
        f.to(),
        f.content(),
        Ids.msgId(now),
        s.verified,
        f.sig() == null || f.sig().isEmpty() ? null : f.sig(),
        f.inReplyTo(),
        null);
  }

  void fileChunk(AgentConnection c, ClientFrame.FileChunk f) {
    AgentSession s = c.requireSession();
    if (!c.takeFileChunkSlot()) {
      throw new ProtocolException(ErrorCode.RATE_LIMITED, "File chunk rate limit (max 10/sec)");
    }
    AgentSession target = state.directory.online(f.to());
    state.sendToSession(
        target,
        OutboundFrame.of(new ServerFrame.FileChunk(state.now(), s.wireId, f.to(), f.content())));
  }

  void typing(AgentConnection c, ClientFrame.Typing f) {
    AgentSession s = c.requireSession();
    Channel channel = state.channels.existing(f.channel());
    channel.requireMember(s);
    OutboundFrame out =
        OutboundFrame.of(new ServerFrame.Typing(state.now(), s.wireId, s.name, channel.name));
    channel.publish(out, null, s.id, o -> state.publishToChannel(channel.name, o));
  }
}
