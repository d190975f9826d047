package io.agentchat.relay.impl;

import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.BusMessages;
import io.agentchat.protocol.BusMessages.MarketplaceReply;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Hands marketplace frames to whatever answers {@link BusAddresses#MARKETPLACE} on the event bus
 * and relays the answer to the sender. The relay knows the contract, not the marketplace: it passes
 * the frame's text on as the agent sent it, and writes the frames it gets back as they are.
 */
final class MarketplaceBridge {
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(10_000);
  private final RelayState state;

  MarketplaceBridge(RelayState state) {
    this.state = state;
  }

  /**
   * @param frame the frame, already validated
   * @param text the frame as the agent sent it
   */
  void forward(AgentConnection c, ClientFrame.MarketplaceFrame frame, String text) {
    AgentSession s = c.requireSession();
    String request =
        BusMessages.encode(
            new BusMessages.MarketplaceRequest(
                new BusMessages.Agent(
                    s.wireId, s.name, s.key == null ? null : s.key.pem(), s.verified),
                text));
    state
        .bus
        .<String>request(BusAddresses.MARKETPLACE, request, REQUEST)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                answer(c, frame.type(), ar.result().body());
              } else {
                c.sendError(ErrorCode.SERVICE_UNAVAILABLE, unavailable(ar.cause()), frame.type());
              }
            });
  }

  private void answer(AgentConnection c, String type, String replyText) {
    MarketplaceReply reply;
    try {
      reply = BusMessages.decode(replyText, MarketplaceReply.class);
    } catch (RuntimeException e) {
      reply = null;
    }
    if (reply != null && reply.code() != null) {
      c.sendError(reply.code(), reply.message() == null ? "Refused" : reply.message(), type);
      return;
    }
    if (reply == null || reply.frames() == null || reply.frames().isEmpty()) {
      // Every request gets an answer: a malformed reply must not leave the agent waiting.
      c.sendError(ErrorCode.SERVICE_UNAVAILABLE, "The marketplace sent no answer", type);
      return;
    }
    for (String frame : reply.frames()) {
      c.send(OutboundFrame.ofJson(frame));
    }
  }

  private static String unavailable(Throwable cause) {
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return "The marketplace is not available on this server";
    }
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      return "The marketplace did not answer in time";
    }
    return "The marketplace failed: " + cause.getMessage();
  }
}
