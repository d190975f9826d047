package io.agentchat.marketplace.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NoticeRepositoryTest {
  private static Database db;
  private static NoticeRepository notices;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestDatabases.startFresh(vertx)
        .onComplete(
            ctx.succeeding(
                started -> {
                  db = started;
                  notices = new NoticeRepository();
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    db.close().onComplete(ctx.succeedingThenComplete());
  }

  /** A frame's text, kept byte for byte: members in their order, nulls and decimals as written. */
  private static String frame(int n) {
    return "{\"type\":\"ACCEPT\",\"ts\":1,\"proposal_id\":\"prop_"
        + n
        + "\",\"amount\":1.50,\"payment_code\":null,\"nested\":{\"n\":"
        + n
        + "}}";
  }

  @Test
  void noticesAreTakenOnceInTheOrderTheyWereQueued(VertxTestContext ctx) {
    notices
        .queue(db.pool(), "b000000000000001", frame(1), 1_000)
        .compose(v -> notices.queue(db.pool(), "b000000000000002", frame(99), 1_001))
        .compose(v -> notices.queue(db.pool(), "b000000000000001", frame(2), 1_002))
        .compose(v -> notices.queue(db.pool(), "b000000000000001", frame(3), 1_003))
        .compose(v -> notices.takeAll(db.pool(), "b000000000000001"))
        .map(
            taken -> {
              assertEquals(
                  List.of(frame(1), frame(2), frame(3)),
                  taken.stream().map(Notice::frame).toList());
              assertEquals("b000000000000001", taken.get(0).agentId());
              return taken;
            })
        .compose(v -> notices.takeAll(db.pool(), "b000000000000001"))
        .map(
            again -> {
              assertEquals(List.of(), again);
              return again;
            })
        .compose(v -> notices.takeAll(db.pool(), "b000000000000002"))
        .map(
            other -> {
              assertEquals(List.of(frame(99)), other.stream().map(Notice::frame).toList());
              return other;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aNoticeQueuedInATransactionThatRollsBackIsNeverDelivered(VertxTestContext ctx) {
    String agent = "b000000000000004";
    db.pool()
        .withTransaction(
            tx ->
                notices
                    .queue(tx, agent, frame(7), 1_000)
                    .compose(
                        v -> Future.failedFuture(new IllegalStateException("the verb failed"))))
        .transform(rolledBack -> notices.takeAll(db.pool(), agent))
        .map(
            taken -> {
              assertEquals(List.of(), taken, "the notice went with its transaction");
              return taken;
            })
        .compose(v -> db.pool().withTransaction(tx -> notices.queue(tx, agent, frame(8), 1_001)))
        .compose(v -> notices.takeAll(db.pool(), agent))
        .map(
            taken -> {
              assertEquals(List.of(frame(8)), taken.stream().map(Notice::frame).toList());
              return taken;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void racingTakersNeverReceiveTheSameNotice(VertxTestContext ctx) {
    String agent = "b000000000000003";
    Future<Void> queued = Future.succeededFuture();
    for (int i = 0; i < 20; i++) {
      int n = i;
      queued = queued.compose(v -> notices.queue(db.pool(), agent, frame(n), 1_000 + n));
    }
    queued
        .compose(
            v -> {
              List<Future<List<Notice>>> takers =
                  IntStream.range(0, 5).mapToObj(i -> notices.takeAll(db.pool(), agent)).toList();
              return Future.all(takers).map(all -> takers);
            })
        .map(
            takers -> {
              List<Long> ids = new ArrayList<>();
              takers.forEach(t -> t.result().forEach(n -> ids.add(n.id())));
              assertEquals(20, ids.size(), "every notice delivered");
              assertEquals(20, ids.stream().distinct().count(), "none delivered twice");
              return takers;
            })
        .onComplete(ctx.succeedingThenComplete());
  }
}
