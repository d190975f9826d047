package io.agentchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against a server that follows a script instead of the protocol, for the failures a
 * real relay does not produce on demand.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptedServerTest {
  private static final String WELCOME =
      new JsonObject()
          .put("type", "WELCOME")
          .put("ts", 1)
          .put("agent_id", "@abcd1234")
          .put("name", "alice")
          .put("server", "scripted")
          .put("disclaimer", "")
          .encode();

  /** Starts a WebSocket server that hands each received frame's type to {@code script}. */
  private static String serve(Vertx vertx, BiConsumer<ServerWebSocket, String> script) {
    HttpServer server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws ->
                    ws.textMessageHandler(
                        text -> script.accept(ws, new JsonObject(text).getString("type"))));
    return "ws://127.0.0.1:" + server.listen(0, "127.0.0.1").await().actualPort();
  }

  @Test
  void aLoginTheServerRefusesFailsWithTheServersError(Vertx vertx) {
    String url =
        serve(
            vertx,
            (ws, type) ->
                ws.writeTextMessage(
                    new JsonObject()
                        .put("type", "ERROR")
                        .put("ts", 1)
                        .put("code", "NOT_ALLOWED")
                        .put("message", "ephemeral connections blocked in strict mode")
                        .encode()));

    AgentChatException e =
        assertThrows(
            AgentChatException.class,
            () -> AgentChatClient.connect(vertx, url, "alice", null).await());

    assertEquals("NOT_ALLOWED", e.code());
    assertEquals("ephemeral connections blocked in strict mode", e.getMessage());
  }

  @Test
  void aServerThatClosesDuringLoginFailsTheConnect(Vertx vertx) {
    String url = serve(vertx, (ws, type) -> ws.close((short) 1008, "Go away"));

    AgentChatException e =
        assertThrows(
            AgentChatException.class,
            () -> AgentChatClient.connect(vertx, url, "alice", null).await());

    assertEquals("Connection closed before login (1008 Go away)", e.getMessage());
  }

  @Test
  void aRequestTheServerNeverAnswersFailsAfterTheTimeout(Vertx vertx) {
    String url =
        serve(
            vertx,
            (ws, type) -> {
              if (type.equals("IDENTIFY")) {
                ws.writeTextMessage(WELCOME);
              }
            });
    AgentChatClient client =
        AgentChatClient.connect(vertx, url, "alice", null, Duration.ofMillis(300)).await();

    AgentChatException e =
        assertThrows(AgentChatException.class, () -> client.join("#general").await());

    assertNull(e.code());
    assertEquals("No answer to JOIN #general within 0.3 s", e.getMessage());
  }

  @Test
  void anErrorCodeThisLibraryDoesNotKnowIsStillReported(Vertx vertx) {
    String url =
        serve(
            vertx,
            (ws, type) -> {
              if (type.equals("IDENTIFY")) {
                ws.writeTextMessage(WELCOME);
              } else if (type.equals("JOIN")) {
                ws.writeTextMessage(
                    new JsonObject()
                        .put("type", "ERROR")
                        .put("ts", 2)
                        .put("code", "BRAND_NEW")
                        .put("message", "Something new")
                        .encode());
              } else if (type.equals("PING")) {
                ws.writeTextMessage("{\"type\":\"PONG\",\"ts\":3}");
              }
            });
    AgentChatClient client = AgentChatClient.connect(vertx, url, "alice", null).await();

    AgentChatException e =
        assertThrows(AgentChatException.class, () -> client.join("#general").await());

    assertEquals("BRAND_NEW", e.code());
    assertNull(e.errorCode());
    assertTrue(
        client.listChannels().map(l -> false).otherwise(true).await(),
        "the next request is paired with its own reply, not the previous one's");
  }
}
