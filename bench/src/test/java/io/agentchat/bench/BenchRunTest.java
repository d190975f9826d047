package io.agentchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.bench.core.LoadFailure;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bench against a real relay started in-process on port 0. No timing assertions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchRunTest {
  private Vertx vertx;
  private RelayServer relay;

  @BeforeEach
  void startRelay() throws Exception {
    vertx = Vertx.vertx();
    relay =
        RelayServer.start(
                vertx,
                new RelayOptions()
                    .port(0)
                    .eventLoops(1)
                    .msgRate(1000)
                    .msgBurst(1000)
                    .frameWindowLimit(100000))
            .await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopRelay() throws Exception {
    relay.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private BenchOptions options() {
    return new BenchOptions()
        .server("ws://127.0.0.1:" + relay.actualPort())
        .warmup(Duration.ofMillis(500))
        .drain(Duration.ofSeconds(10));
  }

  @Test
  void fanOutDeliversEveryMessageToEveryMember() throws Exception {
    BenchReport report =
        BenchRun.run(
            options()
                .connections(20)
                .members(10)
                .senders(5)
                .rate(100)
                .duration(Duration.ofSeconds(2)),
            null);

    assertEquals(20, report.logins().connected());
    BenchReport.Traffic t = report.traffic();
    assertTrue(t.windowSends() > 0, "sent in the window");
    assertEquals(t.windowSends() * 10, t.expected());
    assertEquals(t.expected(), t.received(), "every member got every message");
    assertEquals(0, t.lost());
    assertTrue(t.deliveriesPerSecond() > 0);
    assertEquals(t.received(), t.latencyCount());
    assertTrue(report.errors().isEmpty(), () -> "errors: " + report.errors());
    assertEquals(20, report.openAtEnd());
  }

  @Test
  void ed25519ConnectionsAnswerTheChallenge() throws Exception {
    BenchReport report =
        BenchRun.run(
            options().connections(5).identity(BenchOptions.Identity.ED25519).members(0).rate(0),
            null);

    assertEquals(5, report.logins().connected());
    assertNull(report.traffic(), "idle run sends nothing");
    assertTrue(report.errors().isEmpty(), () -> "errors: " + report.errors());
  }

  @Test
  void jsonReportCarriesTheCountsAndIsOneObject() throws Exception {
    BenchReport report =
        BenchRun.run(
            options()
                .connections(4)
                .channel("#bench-json")
                .rate(20)
                .duration(Duration.ofSeconds(1)),
            null);

    JsonObject json = new JsonObject(report.toJson().encode());
    assertEquals(4, json.getJsonObject("logins").getInteger("connected"));
    assertEquals(0L, json.getJsonObject("traffic").getLong("lost"));
    assertTrue(report.toText().contains("deliveries"));
  }

  @Test
  void aServerThatIsNotThereFailsWithTheCountConnected() {
    int port = relay.actualPort();
    relay.close().await();
    LoadFailure failure =
        assertThrows(
            LoadFailure.class,
            () ->
                BenchRun.run(
                    new BenchOptions()
                        .server("ws://127.0.0.1:" + port)
                        .connections(3)
                        .rate(0)
                        .loginTimeout(Duration.ofSeconds(5)),
                    null));
    assertTrue(
        failure.getMessage().startsWith("only 0 of 3 connections logged in"), failure.getMessage());
  }

  @Test
  void theCommandRefusesMoreSendersThanMembers() {
    int code =
        new picocli.CommandLine(new BenchCommand())
            .execute(
                "ws://127.0.0.1:" + relay.actualPort(), "--members", "2", "--senders", "3", "-q");
    assertEquals(BenchCommand.BAD_INPUT, code);
  }
}
