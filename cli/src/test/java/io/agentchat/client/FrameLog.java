package io.agentchat.client;

import io.agentchat.protocol.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Every frame a client received, with a bounded wait for one that passes a test. */
final class FrameLog implements Consumer<ServerFrame> {
  private final List<ServerFrame> frames = new ArrayList<>();

  @Override
  public synchronized void accept(ServerFrame frame) {
    frames.add(frame);
    notifyAll();
  }

  /** How many received frames pass {@code test} so far. */
  synchronized long count(Predicate<ServerFrame> test) {
    return frames.stream().filter(test).count();
  }

  /** Waits until a received frame passes {@code test}; fails the test after {@code limit}. */
  synchronized ServerFrame await(Predicate<ServerFrame> test, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      for (ServerFrame f : frames) {
        if (test.test(f)) {
          return f;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching frame within " + limit + "; received " + frames);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
