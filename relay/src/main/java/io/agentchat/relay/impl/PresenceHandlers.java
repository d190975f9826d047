package io.agentchat.relay.impl;

import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;
import java.util.LinkedHashSet;
import java.util.Set;

/** SET_PRESENCE and SET_NICK, announced once to each agent sharing a channel. */
final class PresenceHandlers {
  private final RelayState state;

  PresenceHandlers(RelayState state) {
    this.state = state;
  }

  void setPresence(AgentConnection c, ClientFrame.SetPresence f) {
    AgentSession s = c.requireSession();
    s.presence = f.status();
    s.statusText = f.statusText();
    OutboundFrame out =
        OutboundFrame.of(
            new ServerFrame.PresenceChanged(
                state.now(), s.wireId, s.name, s.presence, s.statusText));
    for (AgentSession peer : peersOf(s)) {
      state.sendToSession(peer, out);
    }
  }

  void setNick(AgentConnection c, ClientFrame.SetNick f) {
    AgentSession s = c.requireSession();
    long waitNanos = c.takeNickSlot();
    if (waitNanos > 0) {
      long seconds = (waitNanos + 999_999_999L) / 1_000_000_000L;
      throw new ProtocolException(
          ErrorCode.RATE_LIMITED, "Nick change rate limited. Try again in " + seconds + "s");
    }
    String old = s.name == null ? "anon_" + s.id : s.name;
    s.name = f.nick();
    OutboundFrame out =
        OutboundFrame.of(new ServerFrame.NickChanged(state.now(), s.wireId, old, f.nick()));
    // Once per agent, the sender included: the reference repeats it per shared channel.
    for (AgentSession peer : peersOf(s)) {
      state.sendToSession(peer, out);
    }
    c.send(out);
  }

  /** Every other agent that shares at least one channel with {@code s}, each once. */
  private Set<AgentSession> peersOf(AgentSession s) {
    Set<AgentSession> peers = new LinkedHashSet<>();
    for (String name : s.channels) {
      Channel channel = state.channels.get(name);
      if (channel != null) {
        peers.addAll(channel.memberList());
      }
    }
    peers.remove(s);
    return peers;
  }
}
