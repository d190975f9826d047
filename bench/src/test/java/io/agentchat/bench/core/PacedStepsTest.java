package io.agentchat.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pacing of set-up steps on one event loop, without a server. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PacedStepsTest {
  private static final long NO_DEADLINE = Long.MAX_VALUE;

  private static List<Integer> items(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void everyItemRunsWithNeverMoreThanTheLimitInFlight(Vertx vertx, VertxTestContext context) {
    List<Integer> started = new ArrayList<>();
    int[] inFlight = new int[2]; // now, most seen
    vertx.runOnContext(
        v ->
            PacedSteps.run(
                    vertx,
                    items(20),
                    i -> {
                      started.add(i);
                      inFlight[1] = Math.max(inFlight[1], ++inFlight[0]);
                      Promise<Void> step = Promise.promise();
                      vertx.setTimer(
                          5,
                          t -> {
                            inFlight[0]--;
                            step.complete();
                          });
                      return step.future();
                    },
                    0,
                    3,
                    NO_DEADLINE)
                .onComplete(
                    context.succeeding(
                        done ->
                            context.verify(
                                () -> {
                                  assertEquals(items(20), started);
                                  assertEquals(3, inFlight[1]);
                                  context.completeNow();
                                }))));
  }

  @Test
  void aFailedOrThrowingStepDoesNotStopTheOthers(Vertx vertx, VertxTestContext context) {
    List<Integer> started = new ArrayList<>();
    vertx.runOnContext(
        v ->
            PacedSteps.run(
                    vertx,
                    items(6),
                    i -> {
                      started.add(i);
                      if (i == 1) {
                        throw new IllegalStateException("thrown");
                      }
                      return i % 2 == 0 ? Future.failedFuture("failed") : Future.succeededFuture();
                    },
                    0,
                    2,
                    NO_DEADLINE)
                .onComplete(
                    context.succeeding(
                        done ->
                            context.verify(
                                () -> {
                                  assertEquals(items(6), started);
                                  context.completeNow();
                                }))));
  }

  @Test
  void aRateSpreadsTheStartsOverTime(Vertx vertx, VertxTestContext context) {
    long began = System.nanoTime();
    vertx.runOnContext(
        v ->
            PacedSteps.run(vertx, items(6), i -> Future.succeededFuture(), 20, 100, NO_DEADLINE)
                .onComplete(
                    context.succeeding(
                        done ->
                            context.verify(
                                () -> {
                                  // The sixth of 20/s may start 0.25 s after the first.
                                  long ms = (System.nanoTime() - began) / 1_000_000;
                                  assertTrue(ms >= 200, ms + " ms");
                                  context.completeNow();
                                }))));
  }

  @Test
  void nothingStartsAfterTheDeadline(Vertx vertx, VertxTestContext context) {
    List<Integer> started = new ArrayList<>();
    vertx.runOnContext(
        v ->
            PacedSteps.run(
                    vertx,
                    items(5),
                    i -> {
                      started.add(i);
                      return Future.succeededFuture();
                    },
                    0,
                    5,
                    System.nanoTime() - 1)
                .onComplete(
                    context.succeeding(
                        done ->
                            context.verify(
                                () -> {
                                  assertTrue(started.isEmpty(), started.toString());
                                  context.completeNow();
                                }))));
  }
}
