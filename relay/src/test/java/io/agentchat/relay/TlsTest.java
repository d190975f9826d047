package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With --cert and --key the relay speaks wss:// on the same port. */
class TlsTest {

  @Test
  void aRelayGivenACertificateAndKeyServesSecureWebSockets(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl;
    try {
      openssl =
          new ProcessBuilder(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "ec",
                  "-pkeyopt",
                  "ec_paramgen_curve:prime256v1",
                  "-nodes",
                  "-days",
                  "1",
                  "-subj",
                  "/CN=127.0.0.1",
                  "-keyout",
                  key.toString(),
                  "-out",
                  cert.toString())
              .redirectErrorStream(true)
              .start();
    } catch (java.io.IOException e) {
      Assumptions.abort("openssl is not installed: " + e.getMessage());
      return;
    }
    openssl.getInputStream().readAllBytes();
    assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl failed");

    try (TestRelay relay =
        TestRelay.start(new RelayOptions().certPath(cert.toString()).keyPath(key.toString()))) {
      assertTrue(relay.server.url().startsWith("wss://"), relay.server.url());
      WebSocketClient client =
          relay.vertx.createWebSocketClient(
              new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
      try {
        WebSocket ws =
            Await.result(
                client.connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(relay.port())
                        .setURI("/")
                        .setSsl(true)),
                "wss connect");
        CompletableFuture<JsonObject> welcome = new CompletableFuture<>();
        ws.textMessageHandler(t -> welcome.complete(new JsonObject(t)));
        Await.result(ws.writeTextMessage("{\"type\":\"IDENTIFY\",\"name\":\"secure\"}"), "write");
        assertEquals("WELCOME", welcome.get(10, TimeUnit.SECONDS).getString("type"));
      } finally {
        Await.result(client.close(), "client close");
      }
    }
  }
}
