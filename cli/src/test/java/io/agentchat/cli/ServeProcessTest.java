package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentchat serve} as an operator runs it: its own process on a fresh data directory with
 * the embedded database, stopped by SIGTERM.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServeProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private ServeProcess server;
  private Vertx vertx;

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.close();
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesChatAndMarketplaceThenClosesEverySocketAndExitsZeroOnSigterm() throws Exception {
    server = ServeProcess.start(dir.resolve("data"), dir.resolve("serve.log"));
    // The first line on stdout is the address, printed once chat and marketplace are up.
    String url = server.url(Duration.ofSeconds(180));
    assertTrue(Files.isDirectory(dir.resolve("data").resolve("pg")), "embedded database data dir");

    CliRun.Result channels = CliRun.run("channels", url);
    assertEquals(0, channels.exitCode(), channels.err());
    assertTrue(channels.out().contains("#general"), channels.out());
    CliRun.Result search = CliRun.run("skills", "search", url, "--json");
    assertEquals(0, search.exitCode(), search.err());
    JsonNode results = JSON.readTree(search.out());
    assertTrue(results.isArray() && results.isEmpty(), "no skills yet: " + search.out());

    // A connected agent sees the server close its socket with 1001 (going away).
    vertx = Vertx.vertx();
    WebSocketClient client = vertx.createWebSocketClient();
    URI address = URI.create(url);
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closedWith = new CompletableFuture<>();
    WebSocket ws =
        client
            .connect(
                new WebSocketConnectOptions()
                    .setHost(address.getHost())
                    .setPort(address.getPort())
                    .setURI("/"))
            .await(30, TimeUnit.SECONDS);
    ws.textMessageHandler(frames::add);
    ws.closeHandler(v -> closedWith.complete(ws.closeStatusCode()));
    ws.writeTextMessage(new JsonObject().put("type", "IDENTIFY").put("name", "watcher").encode());
    String welcome = frames.poll(30, TimeUnit.SECONDS);
    assertTrue(welcome != null && welcome.contains("\"WELCOME\""), "welcome: " + welcome);

    server.sigterm();
    assertEquals((short) 1001, closedWith.get(60, TimeUnit.SECONDS));
    assertTrue(server.awaitExit(Duration.ofSeconds(60)), "server exits after SIGTERM");
    assertEquals(0, server.exitValue());

    // Operators get structured logs: every line on stderr is one JSON object.
    List<String> lines = server.logLines();
    assertTrue(lines.size() > 3, "some log lines");
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode entry = JSON.readTree(line);
      assertTrue(entry.isObject() && entry.has("level") && entry.has("message"), line);
    }
  }
}
