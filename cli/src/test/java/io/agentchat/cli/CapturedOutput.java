package io.agentchat.cli;

import java.io.Writer;
import java.time.Duration;

/**
 * A writer that keeps what a command printed and lets a test wait, with a bound, until some text
 * shows up — for commands that run in another thread.
 */
final class CapturedOutput extends Writer {
  private final StringBuilder text = new StringBuilder();

  @Override
  public synchronized void write(char[] chars, int offset, int length) {
    text.append(chars, offset, length);
    notifyAll();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** Everything written so far. */
  synchronized String text() {
    return text.toString();
  }

  /** Waits until the output contains {@code expected}; fails the test after {@code limit}. */
  synchronized void awaitContains(String expected, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (text.indexOf(expected) < 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "\"" + expected + "\" not printed within " + limit + "; output so far:\n" + text);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
