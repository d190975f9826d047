package io.agentchat.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting, with a bound, until something a test cannot be told about becomes true. */
final class Conditions {
  private Conditions() {}

  /**
   * Checks {@code condition} until it holds; fails the test with {@code what} after {@code limit}.
   */
  static void await(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Not within " + limit + ": " + what);
      }
      // Files and another process's state give no signal to wait on: look again shortly.
      Thread.onSpinWait();
      Thread.sleep(10);
    }
  }
}
