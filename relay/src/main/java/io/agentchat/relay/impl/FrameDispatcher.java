package io.agentchat.relay.impl;

import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;

/**
 * The one switch from a validated frame to the small handler that serves it. Login, PING and
 * LIST_CHANNELS work before IDENTIFY; TYPING and RESPONDING_TO are ignored before it (as the
 * reference does); everything else needs a session.
 */
final class FrameDispatcher {
  private final RelayState state;
  private final ChallengeLogin login;
  private final ChannelHandlers channels;
  private final MessageRouter messages;
  private final PresenceHandlers presence;
  private final PeerVerification verification;
  private final MarketplaceBridge marketplace;

  FrameDispatcher(RelayState state) {
    this.state = state;
    this.login = new ChallengeLogin(state);
    this.channels = new ChannelHandlers(state);
    this.messages = new MessageRouter(state);
    this.presence = new PresenceHandlers(state);
    this.verification = new PeerVerification(state);
    this.marketplace = new MarketplaceBridge(state);
  }

  /**
   * Acts on a frame the connection received.
   *
   * @param text the frame as received, passed on to services behind the relay as it is
   */
  void dispatch(AgentConnection c, ClientFrame frame, String text) {
    if (frame instanceof ClientFrame.Unsupported u) {
      throw ProtocolException.invalid(u.type() + " is not supported by this server");
    }
    switch (frame.type()) {
      case "IDENTIFY" -> login.identify(c, (ClientFrame.Identify) frame);
      case "VERIFY_IDENTITY" -> login.verify(c, (ClientFrame.VerifyIdentity) frame);
      case "PING" -> c.send(new ServerFrame.Pong(state.now()));
      case "LIST_CHANNELS" -> channels.list(c);
      case "TYPING" -> {
        if (c.session() != null) {
          messages.typing(c, (ClientFrame.Typing) frame);
        }
      }
      case "RESPONDING_TO" -> {
        // Floor control is not served yet (see ROADMAP.md); the claim is accepted silently,
        // which is what a client that does not win the floor observes from the reference.
        if (c.session() == null) {
          return;
        }
      }
      default -> dispatchAuthenticated(c, frame, text);
    }
  }

  private void dispatchAuthenticated(AgentConnection c, ClientFrame frame, String text) {
    if (c.session() == null) {
      throw new ProtocolException(ErrorCode.AUTH_REQUIRED, "Must IDENTIFY first");
    }
    if (frame instanceof ClientFrame.MarketplaceFrame m) {
      marketplace.forward(c, m, text);
      return;
    }
    switch (frame.type()) {
      case "JOIN" -> channels.join(c, (ClientFrame.Join) frame);
      case "LEAVE" -> channels.leave(c, (ClientFrame.Leave) frame);
      case "CREATE_CHANNEL" -> channels.create(c, (ClientFrame.CreateChannel) frame);
      case "INVITE" -> channels.invite(c, (ClientFrame.Invite) frame);
      case "LIST_AGENTS" -> channels.listAgents(c, (ClientFrame.ListAgents) frame);
      case "MSG" -> messages.msg(c, (ClientFrame.Msg) frame);
      case "FILE_CHUNK" -> messages.fileChunk(c, (ClientFrame.FileChunk) frame);
      case "SET_PRESENCE" -> presence.setPresence(c, (ClientFrame.SetPresence) frame);
      case "SET_NICK" -> presence.setNick(c, (ClientFrame.SetNick) frame);
      case "VERIFY_REQUEST" -> verification.request(c, (ClientFrame.VerifyRequest) frame);
      case "VERIFY_RESPONSE" -> verification.respond(c, (ClientFrame.VerifyResponse) frame);
      default -> throw ProtocolException.invalid("Unknown message type: " + frame.type());
    }
  }
}
