package io.agentchat.relay.impl;

import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A channel: its flags, members, invitations and replay history. Every change and every publish
 * happens under this object's lock, which gives each channel one total order of frames that all
 * members observe (the event bus hands each consumer its messages in publish order).
 */
final class Channel {
  final String name;
  final boolean inviteOnly;
  final boolean verifiedOnly;
  final boolean builtIn;
  final long createdOrder;
  private final LinkedHashMap<String, AgentSession> members = new LinkedHashMap<>();
  private final Set<String> invited = new HashSet<>();
  private final ReplayBuffer history;
  private long seq;

  Channel(
      String name,
      boolean inviteOnly,
      boolean verifiedOnly,
      boolean builtIn,
      long createdOrder,
      int replayDepth) {
    this.name = name;
    this.inviteOnly = inviteOnly;
    this.verifiedOnly = verifiedOnly;
    this.builtIn = builtIn;
    this.createdOrder = createdOrder;
    this.history = new ReplayBuffer(replayDepth);
  }

  /** What a JOIN saw, taken atomically. */
  record JoinView(
      boolean firstJoin,
      long seqAtJoin,
      List<ServerFrame.Member> members,
      List<OutboundFrame> history) {}

  /**
   * Adds the agent and, on its first join, publishes AGENT_JOINED to the others — all under the
   * lock, so the returned position separates what the joiner must get live from what it gets as
   * history.
   */
  synchronized JoinView join(
      AgentSession agent, boolean withHistory, Consumer<OutboundFrame> publisher, long now) {
    AgentSession previous = members.get(agent.id);
    boolean first = previous != agent;
    if (first) {
      members.put(agent.id, agent);
      agent.channels.add(name);
      OutboundFrame joined =
          OutboundFrame.of(
              new ServerFrame.AgentJoined(now, name, agent.wireId, agent.name, agent.verified));
      publisher.accept(joined.inChannel(++seq, agent.id));
    }
    List<ServerFrame.Member> list = new ArrayList<>(members.size());
    for (AgentSession m : members.values()) {
      list.add(new ServerFrame.Member(m.wireId, m.name, m.verified));
    }
    List<OutboundFrame> replay = withHistory ? history.replayFrames() : List.of();
    return new JoinView(first, seq, list, replay);
  }

  /**
   * Removes this session (not a newer session of the same agent) and tells the others.
   *
   * @return false when the session was not a member
   */
  synchronized boolean leave(AgentSession agent, Consumer<OutboundFrame> publisher, long now) {
    if (!members.remove(agent.id, agent)) {
      return false;
    }
    agent.channels.remove(name);
    OutboundFrame left =
        OutboundFrame.of(new ServerFrame.AgentLeft(now, name, agent.wireId, agent.name));
    publisher.accept(left.inChannel(++seq, agent.id));
    return true;
  }

  /** Publishes a frame to all members in channel order, optionally keeping it as history. */
  synchronized void publish(
      OutboundFrame frame,
      ServerFrame.Msg storeAs,
      String exclude,
      Consumer<OutboundFrame> publisher) {
    if (storeAs != null) {
      history.add(storeAs);
    }
    publisher.accept(frame.inChannel(++seq, exclude));
  }

  synchronized boolean isMember(AgentSession agent) {
    return members.get(agent.id) == agent;
  }

  /** Refuses with NOT_INVITED unless this session is a member. */
  void requireMember(AgentSession agent) {
    if (!isMember(agent)) {
      throw new ProtocolException(ErrorCode.NOT_INVITED, "Not a member of " + name);
    }
  }

  synchronized boolean mayJoin(String agentId) {
    return !inviteOnly || invited.contains(agentId) || members.containsKey(agentId);
  }

  synchronized void invite(String agentId) {
    invited.add(agentId);
  }

  synchronized int size() {
    return members.size();
  }

  synchronized List<AgentSession> memberList() {
    return new ArrayList<>(members.values());
  }
}
