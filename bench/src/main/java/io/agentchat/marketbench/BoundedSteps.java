package io.agentchat.marketbench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Function;

/**
 * Starts one asynchronous step per item (a registration, a pair's logins) with at most {@code
 * maxPending} in flight, starting none after the deadline; each completion starts the next.
 * Failures are the step's to record: they do not stop the others. Confined to one event loop.
 */
final class BoundedSteps<T> {
  private final Vertx vertx;
  private final List<T> items;
  private final Function<T, Future<?>> step;
  private final int maxPending;
  private final long deadline;
  private final Promise<Void> done = Promise.promise();
  private int next;
  private int pending;
  private long timer = -1;
  private boolean pumping;

  private BoundedSteps(
      Vertx vertx, List<T> items, Function<T, Future<?>> step, int maxPending, long deadline) {
    this.vertx = vertx;
    this.items = items;
    this.step = step;
    this.maxPending = maxPending;
    this.deadline = deadline;
  }

  /**
   * Runs {@code step} over {@code items}; call on the loop that owns them.
   *
   * @param deadline {@link System#nanoTime} after which no step starts
   * @return completes once nothing is in flight and nothing more may start
   */
  static <T> Future<Void> run(
      Vertx vertx, List<T> items, Function<T, Future<?>> step, int maxPending, long deadline) {
    return new BoundedSteps<>(vertx, items, step, Math.max(1, maxPending), deadline).start();
  }

  private Future<Void> start() {
    // A timer notices the deadline even while every step in flight hangs.
    timer = vertx.setPeriodic(100, id -> pump());
    pump();
    return done.future();
  }

  private void pump() {
    if (pumping) {
      return; // a step completed at once: the loop below picks up its free slot
    }
    pumping = true;
    boolean late = System.nanoTime() >= deadline;
    while (!late && next < items.size() && pending < maxPending) {
      pending++;
      Future<?> f;
      try {
        f = step.apply(items.get(next++));
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(
          ar -> {
            pending--;
            pump();
          });
    }
    pumping = false;
    if ((late || next == items.size()) && pending == 0 && done.tryComplete()) {
      vertx.cancelTimer(timer);
    }
  }
}
