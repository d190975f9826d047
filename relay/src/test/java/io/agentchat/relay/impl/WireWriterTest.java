package io.agentchat.relay.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agentchat.relay.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The direct write path is in use with the Vert.x on the classpath (it falls back silently, so an
 * upgrade that closed the door would otherwise only show as slower fan-out), and frames it writes
 * arrive whole and in order, a lone one flushed without anything else happening.
 */
class WireWriterTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close(), "vertx close");
  }

  @Test
  void framesWrittenStraightToTheChannelArriveInOrder() throws Exception {
    CompletableFuture<WireWriter> attached = new CompletableFuture<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> {
                  WireWriter writer = WireWriter.attach(ws, new PendingFlushes());
                  attached.complete(writer);
                  // Written once the client asks, so its handler is surely in place.
                  ws.textMessageHandler(
                      go -> {
                        for (int i = 0; writer != null && i < 3; i++) {
                          writer.write(
                              OutboundFrame.ofJson("{\"type\":\"N\",\"n\":" + i + "}").wireFrame());
                        }
                      });
                });
    Await.result(server.listen(0, "127.0.0.1"), "listen");
    WebSocketClient client = vertx.createWebSocketClient();
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket ws =
        Await.result(
            client.connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(server.actualPort())
                    .setURI("/")),
            "connect");
    ws.textMessageHandler(received::add);
    ws.writeTextMessage("go");

    assertNotNull(attached.get(10, TimeUnit.SECONDS), "WireWriter.attach fell back to Vert.x");
    for (int i = 0; i < 3; i++) {
      assertEquals("{\"type\":\"N\",\"n\":" + i + "}", received.poll(10, TimeUnit.SECONDS));
    }
    Await.result(client.close(), "client close");
  }
}
