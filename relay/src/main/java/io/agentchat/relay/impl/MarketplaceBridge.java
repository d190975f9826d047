package io.agentchat.relay.impl;

import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.FrameCodec;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Hands marketplace frames to whatever answers {@link BusAddresses#MARKETPLACE} on the event bus
 * and relays the answer to the sender. The relay knows the contract, not the marketplace.
 */
final class MarketplaceBridge {
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(10_000);
  private final RelayState state;

  MarketplaceBridge(RelayState state) {
    this.state = state;
  }

  void forward(AgentConnection c, ClientFrame.MarketplaceFrame frame) {
    AgentSession s = c.requireSession();
    JsonObject body =
        new JsonObject()
            .put(
                "agent",
                new JsonObject()
                    .put("id", s.wireId)
                    .put("name", s.name)
                    .put("pubkey", s.key == null ? null : s.key.pem())
                    .put("verified", s.verified))
            .put("frame", new JsonObject(FrameCodec.encode(frame)));
    state
        .bus
        .<JsonObject>request(BusAddresses.MARKETPLACE, body, REQUEST)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                answer(c, frame.type(), ar.result().body());
              } else {
                c.sendError(ErrorCode.SERVICE_UNAVAILABLE, unavailable(ar.cause()), frame.type());
              }
            });
  }

  private void answer(AgentConnection c, String type, JsonObject reply) {
    JsonObject error = reply == null ? null : reply.getJsonObject("error");
    if (error != null) {
      ErrorCode code;
      try {
        code = ErrorCode.valueOf(error.getString("code", "INVALID_MSG"));
      } catch (IllegalArgumentException e) {
        code = ErrorCode.INVALID_MSG;
      }
      c.sendError(code, error.getString("message", "Refused"), type);
      return;
    }
    JsonArray frames = reply == null ? null : reply.getJsonArray("frames");
    if (frames == null || frames.isEmpty()) {
      // Every request gets an answer: a malformed reply must not leave the agent waiting.
      c.sendError(ErrorCode.SERVICE_UNAVAILABLE, "The marketplace sent no answer", type);
      return;
    }
    for (Object f : frames) {
      if (f instanceof JsonObject json) {
        c.send(OutboundFrame.ofJson(json.encode()));
      }
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
