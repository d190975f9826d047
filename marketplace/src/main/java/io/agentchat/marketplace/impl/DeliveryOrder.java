package io.agentchat.marketplace.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the deliveries to one agent one after another, across all of the marketplace's verticles: a
 * login hand-over, a hand-over started after a commit, and live frames queue behind each other, so
 * an agent receives its frames in the order they were decided, and two hand-overs never race on its
 * notices. Different agents do not wait for each other. Thread-safe.
 */
final class DeliveryOrder {
  private final ConcurrentHashMap<String, Future<Void>> tails = new ConcurrentHashMap<>();

  /**
   * Runs {@code step} once every step queued before it for this agent has finished (whatever its
   * outcome).
   *
   * @return a future completed with the step's outcome
   */
  Future<Void> after(String agentId, Supplier<Future<Void>> step) {
    Promise<Void> done = Promise.promise();
    Future<Void> mine = done.future();
    Future<Void> previous = tails.put(agentId, mine);
    Future<Void> turn = previous == null ? Future.succeededFuture() : previous.otherwiseEmpty();
    turn.onComplete(
        ignored -> {
          Future<Void> ran;
          try {
            ran = step.get();
          } catch (RuntimeException e) {
            ran = Future.failedFuture(e);
          }
          ran.onComplete(
              ar -> {
                tails.remove(agentId, mine);
                done.handle(ar);
              });
        });
    return mine;
  }
}
