package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.store.Notice;
import io.agentchat.marketplace.store.NoticeRepository;
import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.BusMessages;
import io.agentchat.protocol.BusMessages.Presence;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets marketplace frames to agents through the relay: delivered live when the agent is online,
 * otherwise kept as a notice and handed over, once, at its next login.
 *
 * <p>A verb decides inside its transaction ({@link #prepare}): an agent that is offline then gets a
 * notice written on the transaction's connection, so the notice commits or rolls back with the
 * change it reports. Nothing reaches a socket before the commit: {@link #send} runs after it.
 */
final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger("agentchat.marketplace");
  private static final int MAX_NESTED_HANDOVERS = 3;

  /** A relay that does not answer a look-up in time counts as having the agent offline. */
  private static final DeliveryOptions LOOKUP = new DeliveryOptions().setSendTimeout(2_000);

  private final EventBus bus;
  private final Pool pool;
  private final NoticeRepository notices;
  private final OnlineAgents online;

  Notifier(EventBus bus, Pool pool, NoticeRepository notices, OnlineAgents online) {
    this.bus = bus;
    this.pool = pool;
    this.notices = notices;
    this.online = online;
  }

  /**
   * How a frame will reach its agent, decided inside a verb's transaction.
   *
   * @param agentId bare id
   * @param frame the frame's JSON text
   * @param queued whether it was kept as a notice in the transaction (the agent was offline)
   */
  record Delivery(String agentId, String frame, boolean queued) {}

  /**
   * Inside a verb's transaction: keeps the frame as a notice when the agent is offline now, as far
   * as {@link OnlineAgents} knows ({@link #send} mends a wrong guess after the commit).
   *
   * @return a future completed with the plan for {@link #send}
   */
  Future<Delivery> prepare(SqlConnection tx, String agentId, String frame, long now) {
    if (online.isOnline(agentId)) {
      return Future.succeededFuture(live(agentId, frame));
    }
    return notices.queue(tx, agentId, frame, now).map(v -> new Delivery(agentId, frame, true));
  }

  /** The plan for a frame to an agent that is online: delivered live after the commit. */
  Delivery live(String agentId, String frame) {
    return new Delivery(agentId, frame, false);
  }

  /**
   * After the verb committed: delivers a live frame (keeping it as a notice if the agent left in
   * the meantime), or, for a queued one, hands the queue over at once if the agent logged in since
   * the decision, after its login hand-over had read the queue. Never fails.
   */
  Future<Void> send(Delivery delivery, long now) {
    if (delivery.queued()) {
      return handOverIfOnline(delivery.agentId(), now, 0);
    }
    return deliverNow(delivery.agentId(), delivery.frame())
        .compose(
            delivered ->
                delivered
                    ? Future.succeededFuture()
                    : keep(delivery.agentId(), delivery.frame(), now, 0));
  }

  /**
   * Queues a frame the agent could not take, then hands the queue over again if the agent is online
   * now. Never fails.
   *
   * @param handOvers hand-overs already nested in this one; bounded so that an agent flapping
   *     online and offline cannot keep one frame circling
   */
  private Future<Void> keep(String agentId, String frame, long now, int handOvers) {
    return notices
        .queue(pool, agentId, frame, now)
        .transform(
            queued -> {
              if (queued.failed()) {
                LOG.atWarn()
                    .addKeyValue("event", "notice_lost")
                    .addKeyValue("agent", "@" + agentId)
                    .addKeyValue("error", String.valueOf(queued.cause()))
                    .log("could not keep a notice for an agent that went offline");
                return Future.succeededFuture();
              }
              return handOverIfOnline(agentId, now, handOvers);
            });
  }

  private Future<Void> handOverIfOnline(String agentId, long now, int handOvers) {
    if (handOvers >= MAX_NESTED_HANDOVERS) {
      return Future.succeededFuture(); // queued: the next login gets it
    }
    return lookup(agentId)
        .compose(
            presence ->
                presence.online()
                    ? handOverNotices(agentId, now, handOvers + 1)
                    : Future.<Void>succeededFuture())
        .recover(
            e -> {
              LOG.atWarn()
                  .addKeyValue("event", "handover_failed")
                  .addKeyValue("agent", "@" + agentId)
                  .addKeyValue("error", String.valueOf(e))
                  .log("could not hand over queued notices; they wait for the next login");
              return Future.succeededFuture();
            });
  }

  /**
   * Delivers and deletes the agent's queued notices, oldest first. Taking them is one statement, so
   * two hand-overs racing for one agent never deliver a notice twice; one the agent cannot take now
   * (it left again) is kept again. Fails only if the queue could not be read, in which case nothing
   * was taken.
   */
  Future<Void> handOverNotices(String agentId, long now) {
    return handOverNotices(agentId, now, 0);
  }

  private Future<Void> handOverNotices(String agentId, long now, int handOvers) {
    return notices
        .takeAll(pool, agentId)
        .compose(
            missed -> {
              Future<Void> chain = Future.succeededFuture();
              for (Notice n : missed) {
                // Neither step fails, so one notice's trouble never drops the ones after it.
                chain =
                    chain.compose(
                        v ->
                            deliverNow(agentId, n.frame())
                                .compose(
                                    delivered ->
                                        delivered
                                            ? Future.succeededFuture()
                                            : keep(agentId, n.frame(), now, handOvers)));
              }
              return chain;
            });
  }

  /** True when the relay had the agent online and took the frame. */
  Future<Boolean> deliverNow(String agentId, String frame) {
    return bus.<String>request(
            BusAddresses.DELIVER, BusMessages.encode(new BusMessages.Deliver(agentId, frame)))
        .map(reply -> BusMessages.decode(reply.body(), BusMessages.Delivered.class).delivered())
        .otherwise(false);
  }

  /** The relay's view of an agent; offline if no relay answers in time. */
  Future<Presence> lookup(String agentId) {
    return bus.<String>request(
            BusAddresses.LOOKUP, BusMessages.encode(new BusMessages.Lookup(agentId)), LOOKUP)
        .map(reply -> BusMessages.decode(reply.body(), Presence.class))
        .onSuccess(presence -> online.learn(agentId, presence))
        .otherwise(Presence.OFFLINE);
  }

  /** Posts a server message to a channel ({@code store}: keep it in the replay history). */
  void toChannel(String channel, String content, boolean store) {
    bus.send(
        BusAddresses.CHANNEL_POST,
        BusMessages.encode(new BusMessages.ChannelPost(channel, content, store)));
  }
}
