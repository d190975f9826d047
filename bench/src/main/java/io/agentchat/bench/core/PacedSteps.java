package io.agentchat.bench.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Function;

/**
 * Starts one asynchronous step per item (a login, a join, a registration) at a limited rate with a
 * bounded number in flight, starting none after the deadline; each completion starts the next.
 * Failures are the step's to record: they do not stop the others. Confined to one event loop.
 */
public final class PacedSteps<T> {
  private final Vertx vertx;
  private final List<T> items;
  private final Function<T, Future<?>> step;
  private final double perSecond;
  private final int maxPending;
  private final long deadline;
  private final long began = System.nanoTime();
  private final Promise<Void> done = Promise.promise();
  private int next;
  private int pending;
  private long timer = -1;
  private boolean pumping;

  private PacedSteps(
      Vertx vertx,
      List<T> items,
      Function<T, Future<?>> step,
      double perSecond,
      int maxPending,
      long deadline) {
    this.vertx = vertx;
    this.items = items;
    this.step = step;
    this.perSecond = perSecond;
    this.maxPending = maxPending;
    this.deadline = deadline;
  }

  /**
   * Runs {@code step} over {@code items}; call on the loop that owns them.
   *
   * @param perSecond steps started per second at most; 0 for no limit but {@code maxPending}
   * @param deadline {@link System#nanoTime} after which no step starts
   * @return completes once nothing is in flight and nothing more may start
   */
  public static <T> Future<Void> run(
      Vertx vertx,
      List<T> items,
      Function<T, Future<?>> step,
      double perSecond,
      int maxPending,
      long deadline) {
    if (items.isEmpty()) {
      return Future.succeededFuture();
    }
    return new PacedSteps<>(vertx, items, step, perSecond, Math.max(1, maxPending), deadline)
        .start();
  }

  private Future<Void> start() {
    // The timer paces the rate, and notices the deadline even while every step in flight hangs.
    long period = perSecond > 0 ? Math.max(1, (long) (1000 / perSecond)) : 100;
    timer = vertx.setPeriodic(period, id -> pump());
    pump();
    return done.future();
  }

  private void pump() {
    if (pumping) {
      return; // a step completed at once: the loop below picks up its free slot
    }
    pumping = true;
    long now = System.nanoTime();
    boolean late = now >= deadline;
    long allowed = perSecond <= 0 ? Long.MAX_VALUE : (long) ((now - began) * perSecond / 1e9) + 1;
    while (!late && next < items.size() && pending < maxPending && next < allowed) {
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
