package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.store.Notice;
import io.agentchat.marketplace.store.NoticeRepository;
import io.agentchat.protocol.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets marketplace frames to agents through the relay: delivered at once when the agent is online,
 * otherwise kept as a notice and handed over at its next login.
 */
final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger("agentchat.marketplace");
  private static final int MAX_NESTED_HANDOVERS = 3;
  private final EventBus bus;
  private final NoticeRepository notices;

  Notifier(EventBus bus, NoticeRepository notices) {
    this.bus = bus;
    this.notices = notices;
  }

  /**
   * Delivers now, or keeps it for the agent's next login when {@code keepIfOffline}. Never fails: a
   * notice that cannot be queued (database away) is logged and dropped.
   */
  Future<Void> toAgent(String bareId, JsonObject frame, boolean keepIfOffline, long now) {
    if (!keepIfOffline) {
      // Nothing to do if it is offline, so no answer is needed: one hop instead of two.
      bus.send(BusAddresses.DELIVER, new JsonObject().put("to", bareId).put("frame", frame));
      return Future.succeededFuture();
    }
    return deliverNow(bareId, frame)
        .compose(delivered -> delivered ? Future.succeededFuture() : keep(bareId, frame, now, 0));
  }

  /**
   * Queues a frame the agent could not take, then hands the queue over again if the agent is online
   * now: it may have logged in between the failed delivery and the queueing, after its login
   * hand-over had read the queue. Never fails.
   *
   * @param handOvers hand-overs already nested in this one; bounded so that an agent flapping
   *     online and offline cannot keep one frame circling
   */
  private Future<Void> keep(String bareId, JsonObject frame, long now, int handOvers) {
    return notices
        .queue(bareId, frame, now)
        .transform(
            queued -> {
              if (queued.failed()) {
                LOG.atWarn()
                    .addKeyValue("event", "notice_lost")
                    .addKeyValue("agent", "@" + bareId)
                    .addKeyValue("frame", frame.getString("type"))
                    .addKeyValue("error", String.valueOf(queued.cause()))
                    .log("could not keep a notice for an offline agent");
                return Future.succeededFuture();
              }
              if (handOvers >= MAX_NESTED_HANDOVERS) {
                return Future.succeededFuture(); // queued: the next login gets it
              }
              return lookup(bareId)
                  .compose(
                      found ->
                          found.getBoolean("online", false)
                              ? handOverNotices(bareId, now, handOvers + 1)
                              : Future.<Void>succeededFuture())
                  .recover(
                      e -> {
                        LOG.atWarn()
                            .addKeyValue("event", "handover_failed")
                            .addKeyValue("agent", "@" + bareId)
                            .addKeyValue("error", String.valueOf(e))
                            .log(
                                "could not hand over queued notices; they wait for the next login");
                        return Future.succeededFuture();
                      });
            });
  }

  /**
   * Delivers and deletes the agent's queued notices, oldest first. Taking them is one statement, so
   * two hand-overs racing for one agent never deliver a notice twice; one the agent cannot take now
   * (it left again) is kept again. Fails only if the queue could not be read, in which case nothing
   * was taken.
   */
  Future<Void> handOverNotices(String bareId, long now) {
    return handOverNotices(bareId, now, 0);
  }

  private Future<Void> handOverNotices(String bareId, long now, int handOvers) {
    return notices
        .takeAll(bareId)
        .compose(
            missed -> {
              Future<Void> chain = Future.succeededFuture();
              for (Notice n : missed) {
                // Neither step fails, so one notice's trouble never drops the ones after it.
                chain =
                    chain.compose(
                        v ->
                            deliverNow(bareId, n.frame())
                                .compose(
                                    delivered ->
                                        delivered
                                            ? Future.succeededFuture()
                                            : keep(bareId, n.frame(), now, handOvers)));
              }
              return chain;
            });
  }

  /** True when the relay had the agent online and took the frame. */
  Future<Boolean> deliverNow(String bareId, JsonObject frame) {
    return bus.<JsonObject>request(
            BusAddresses.DELIVER, new JsonObject().put("to", bareId).put("frame", frame))
        .map(reply -> reply.body().getBoolean("delivered", false))
        .otherwise(false);
  }

  /** The relay's view of an agent: {@code {online, name, pubkey}}; offline if no relay answers. */
  Future<JsonObject> lookup(String bareId) {
    return bus.<JsonObject>request(BusAddresses.LOOKUP, new JsonObject().put("id", bareId))
        .map(reply -> reply.body())
        .otherwise(new JsonObject().put("online", false));
  }

  /** Posts a server message to a channel ({@code store}: keep it in the replay history). */
  void toChannel(String channel, String content, boolean store) {
    bus.send(
        BusAddresses.CHANNEL_POST,
        new JsonObject().put("channel", channel).put("content", content).put("store", store));
  }
}
