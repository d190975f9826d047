package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that offers permessage-deflate is served plain frames and chats as usual. */
class CompressionTest {

  @Test
  void aClientOfferingDeflateGetsNoExtensionAndPlainFrames() throws Exception {
    try (TestRelay relay = TestRelay.start();
        WireClient peer = relay.ephemeral("plain")) {
      WebSocketClient client =
          relay.vertx.createWebSocketClient(
              new WebSocketClientOptions().setTryUsePerMessageCompression(true));
      WebSocket ws =
          Await.result(
              client.connect(
                  new WebSocketConnectOptions()
                      .setPort(relay.port())
                      .setHost("127.0.0.1")
                      .setURI("/")),
              "connect with deflate");
      LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
      ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
      String extensions = ws.headers().get("sec-websocket-extensions");
      assertTrue(extensions == null || extensions.isEmpty(), "negotiated: " + extensions);

      ws.writeTextMessage(
          new JsonObject().put("type", "IDENTIFY").put("name", "deflater").encode());
      JsonObject welcome = frames.poll(10, TimeUnit.SECONDS);
      assertEquals("WELCOME", welcome.getString("type"));
      peer.send(
          new JsonObject()
              .put("type", "MSG")
              .put("to", welcome.getString("agent_id"))
              .put("content", "hello"));
      JsonObject dm = frames.poll(10, TimeUnit.SECONDS);
      assertEquals("hello", dm.getString("content"), dm::encode);
      Await.result(ws.close(), "close");
      Await.result(client.close(), "client close");
    }
  }
}
