package io.agentchat.relay;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits on futures for tests: a hang becomes a failure naming what was awaited. */
public final class Await {
  public static final long SECONDS = 15;

  private Await() {}

  public static <T> T result(Future<T> future, String what) {
    try {
      return future.await(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete within " + SECONDS + "s");
    }
  }
}
