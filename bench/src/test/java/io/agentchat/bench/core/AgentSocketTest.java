package io.agentchat.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.client.LoginHandshake;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bench agent's socket against a real relay on port 0. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AgentSocketTest {
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);

  private RelayServer relay;
  private ClientLoop loop;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    RelayServer.start(vertx, new RelayOptions().port(0).eventLoops(1))
        .compose(
            started -> {
              relay = started;
              loop = newLoop(relay.actualPort());
              return vertx.deployVerticle(loop);
            })
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext context) {
    relay.close().onComplete(context.succeedingThenComplete());
  }

  private static ClientLoop newLoop(int port) {
    return new ClientLoop(URI.create("ws://127.0.0.1:" + port), false, LOGIN_TIMEOUT);
  }

  @Test
  void anEphemeralAgentLogsInAndTheLoginCompletesWithTheWelcome(VertxTestContext context) {
    AgentSocket socket = new AgentSocket(loop, new LoginHandshake("eph", null));

    loop.call(() -> socket.login(LOGIN_TIMEOUT))
        .onComplete(
            context.succeeding(
                welcome ->
                    context.verify(
                        () -> {
                          assertEquals("WELCOME", FrameScan.type(welcome));
                          assertTrue(socket.isOpen());
                          context.completeNow();
                        })));
  }

  @Test
  void aKeyedAgentAnswersTheChallengeThroughTheLoginHandshake(VertxTestContext context) {
    AgentKeyPair keys = AgentKeyPair.generate();
    AgentSocket socket = new AgentSocket(loop, new LoginHandshake("keyed", keys));

    loop.call(() -> socket.login(LOGIN_TIMEOUT))
        .onComplete(
            context.succeeding(
                welcome ->
                    context.verify(
                        () -> {
                          String id = FrameScan.string(welcome, "agent_id");
                          assertTrue(id.endsWith(keys.publicKey().agentId()), id);
                          context.completeNow();
                        })));
  }

  @Test
  void aServerThatIsNotThereFailsTheLoginWithTheReason(Vertx vertx, VertxTestContext context)
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ClientLoop nowhere = newLoop(port);
    vertx
        .deployVerticle(nowhere)
        .compose(
            id -> {
              AgentSocket socket = new AgentSocket(nowhere, new LoginHandshake("x", null));
              return nowhere.call(() -> socket.login(LOGIN_TIMEOUT));
            })
        .onComplete(
            context.failing(
                e ->
                    context.verify(
                        () -> {
                          assertTrue(e.getMessage().startsWith("connect failed: "), e.getMessage());
                          context.completeNow();
                        })));
  }

  @Test
  void aCloseTheBenchAsksForIsNotReportedAndLeavesNoSocketOpen(VertxTestContext context) {
    AgentSocket socket = new AgentSocket(loop, new LoginHandshake("closer", null));
    socket.listener(
        new AgentSocket.Listener() {
          @Override
          public void onFrame(AgentSocket from, String text) {}

          @Override
          public void onClosed(AgentSocket from, String why) {
            context.failNow("the bench's own close was reported: " + why);
          }
        });

    loop.call(() -> socket.login(LOGIN_TIMEOUT))
        .compose(welcome -> loop.call(() -> Future.succeededFuture(loop.openSockets())))
        .compose(
            openAfterLogin -> {
              context.verify(() -> assertEquals(1, openAfterLogin));
              return loop.closeAll();
            })
        .compose(v -> loop.call(() -> Future.succeededFuture(loop.openSockets())))
        .onComplete(
            context.succeeding(
                open ->
                    context.verify(
                        () -> {
                          assertEquals(0, open);
                          assertFalse(socket.isOpen());
                          context.completeNow();
                        })));
  }
}
