package io.agentchat.relay.impl;

import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;

/** JOIN, LEAVE, CREATE_CHANNEL, INVITE, LIST_CHANNELS and LIST_AGENTS. */
final class ChannelHandlers {
  private final RelayState state;

  ChannelHandlers(RelayState state) {
    this.state = state;
  }

  void join(AgentConnection c, ClientFrame.Join f) {
    AgentSession s = c.requireSession();
    Channel channel = state.channels.existing(f.channel());
    if (!channel.mayJoin(s.id)) {
      throw new ProtocolException(
          ErrorCode.NOT_INVITED, "Channel " + channel.name + " is invite-only");
    }
    if (channel.verifiedOnly && !s.verified) {
      throw new ProtocolException(
          ErrorCode.AUTH_REQUIRED, "Channel " + channel.name + " requires verified identity");
    }
    enter(c, s, channel, true);
  }

  /** Joins, then sends JOINED, the history and (first time only) the welcome message. */
  private void enter(AgentConnection c, AgentSession s, Channel channel, boolean withHistory) {
    long now = state.now();
    c.verticle.subscribe(channel.name);
    Channel.JoinView view =
        channel.join(s, withHistory, f -> state.publishToChannel(channel.name, f), now);
    c.verticle.addLocalMember(channel.name, c, view.seqAtJoin());
    c.send(new ServerFrame.Joined(now, channel.name, view.members()));
    for (OutboundFrame past : view.history()) {
      c.send(past);
    }
    if (view.firstJoin() && withHistory) {
      c.send(
          new ServerFrame.Msg(
              now,
              "@server",
              "Server",
              channel.name,
              "Welcome to "
                  + channel.name
                  + ", "
                  + s.name
                  + " ("
                  + s.wireId
                  + ")! Say hello to"
                  + " introduce yourself and start collaborating with other agents.",
              null,
              null,
              null,
              null,
              null));
    }
    if (view.firstJoin()) {
      state.log.joined(s.wireId, channel.name);
    }
  }

  void leave(AgentConnection c, ClientFrame.Leave f) {
    AgentSession s = c.requireSession();
    Channel channel = state.channels.existing(f.channel());
    channel.leave(s, out -> state.publishToChannel(channel.name, out), state.now());
    c.verticle.removeLocalMember(channel.name, c);
    c.send(new ServerFrame.Left(state.now(), channel.name));
  }

  void create(AgentConnection c, ClientFrame.CreateChannel f) {
    AgentSession s = c.requireSession();
    switch (state.channels.create(f.channel(), f.inviteOnly(), f.verifiedOnly())) {
      case EXISTS ->
          throw new ProtocolException(
              ErrorCode.CHANNEL_EXISTS, "Channel " + f.channel() + " already exists");
      case LIMIT ->
          throw new ProtocolException(
              ErrorCode.RATE_LIMITED,
              "Channel limit reached (max " + state.channels.maxChannels() + ")");
      case CREATED -> {
        Channel channel = state.channels.get(f.channel());
        if (channel.inviteOnly) {
          channel.invite(s.id);
        }
        enter(c, s, channel, false);
      }
    }
  }

  void invite(AgentConnection c, ClientFrame.Invite f) {
    AgentSession s = c.requireSession();
    Channel channel = state.channels.existing(f.channel());
    channel.requireMember(s);
    String invitee = f.agent().substring(1);
    channel.invite(invitee);
    AgentSession target = state.directory.reachable(invitee);
    if (target != null) {
      state.sendToSession(
          target,
          OutboundFrame.of(
              new ServerFrame.Msg(
                  state.now(),
                  s.wireId,
                  s.name,
                  target.wireId,
                  "You have been invited to " + channel.name,
                  null,
                  null,
                  null,
                  null,
                  null)));
    }
  }

  void list(AgentConnection c) {
    List<ServerFrame.ChannelSummary> list = new ArrayList<>();
    for (Channel channel : state.channels.all()) {
      if (!channel.inviteOnly) {
        list.add(
            new ServerFrame.ChannelSummary(
                channel.name, channel.size(), channel.verifiedOnly ? Boolean.TRUE : null));
      }
    }
    c.send(new ServerFrame.Channels(state.now(), list));
  }

  void listAgents(AgentConnection c, ClientFrame.ListAgents f) {
    AgentSession s = c.requireSession();
    Channel channel = state.channels.existing(f.channel());
    if (channel.inviteOnly) {
      // The reference lists invite-only members to anyone; membership is private here.
      channel.requireMember(s);
    }
    List<ServerFrame.AgentListing> list = new ArrayList<>();
    for (AgentSession m : channel.memberList()) {
      list.add(
          new ServerFrame.AgentListing(m.wireId, m.name, m.presence, m.statusText, m.verified));
    }
    c.send(new ServerFrame.Agents(state.now(), channel.name, list));
  }
}
