package io.agentchat.bench.core;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The waits of a run's driving thread. Every wait has a bound, so a run always ends: a phase that
 * does not finish in time fails the run with a {@link LoadFailure} naming the phase.
 */
public final class Phase {
  private Phase() {}

  /**
   * Waits for {@code future}, at most {@code bound}.
   *
   * @param what the phase, as the failure message names it ("logging in searchers")
   * @return the future's result
   * @throws LoadFailure when the future fails or does not complete within the bound
   */
  public static <T> T await(Future<T> future, Duration bound, String what)
      throws LoadFailure, InterruptedException {
    try {
      return future.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new LoadFailure(what + " timed out after " + bound.toSeconds() + " s");
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException(what + " interrupted");
      }
      throw new LoadFailure(what + ": " + LoadFailure.describe(e));
    }
  }

  /** Sleeps until {@link System#nanoTime} reaches {@code nanoTime}; returns at once if it has. */
  public static void sleepUntil(long nanoTime) throws InterruptedException {
    long ms = (nanoTime - System.nanoTime()) / 1_000_000;
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
