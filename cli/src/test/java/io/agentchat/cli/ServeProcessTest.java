package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentchat serve} as an operator runs it: its own process on a fresh data directory with
 * the embedded database, stopped by SIGTERM; and its flags reaching the relay it runs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServeProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Nothing listens on port 1: the marketplace's first start fails at once and serve prints its URL
   * with chat running, without the seconds an embedded Postgres takes to initialise.
   */
  private static final String NO_DATABASE = "postgresql://agentchat:unused@127.0.0.1:1/agentchat";

  @TempDir Path dir;

  private ServeProcess server;
  private WireClient agent;

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.close();
    }
    if (agent != null) {
      agent.close();
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
    agent = WireClient.connect(url);
    agent.send(new JsonObject().put("type", "IDENTIFY").put("name", "watcher"));
    String welcome = agent.next(Duration.ofSeconds(30));
    assertTrue(welcome != null && welcome.contains("\"WELCOME\""), "welcome: " + welcome);

    server.sigterm();
    assertEquals((short) 1001, agent.closeCode(Duration.ofSeconds(60)));
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

  @Test
  void aChallengeTimeoutInMillisecondsReachesTheRelay() throws Exception {
    server =
        ServeProcess.start(
            dir.resolve("data"),
            dir.resolve("serve.log"),
            "--db",
            NO_DATABASE,
            "--challenge-timeout",
            "500ms");
    agent = WireClient.connect(server.url(Duration.ofSeconds(60)));
    agent.send(
        new JsonObject()
            .put("type", "IDENTIFY")
            .put("name", "slowpoke")
            .put("pubkey", AgentKeyPair.generate().publicKey().pem()));

    JsonObject challenge = nextFrame();
    assertEquals("CHALLENGE", challenge.getString("type"), challenge.encode());
    assertEquals(
        500, challenge.getLong("expires_at") - challenge.getLong("ts"), challenge.encode());

    // Unanswered, it expires long before the default 60 s would have passed.
    JsonObject expired = nextFrame();
    assertEquals("ERROR", expired.getString("type"), expired.encode());
    assertEquals("VERIFICATION_EXPIRED", expired.getString("code"));
    assertEquals("Challenge expired", expired.getString("message"));
    assertEquals((short) 1000, agent.closeCode(Duration.ofSeconds(30)));
  }

  private JsonObject nextFrame() throws InterruptedException {
    String frame = agent.next(Duration.ofSeconds(30));
    assertNotNull(frame, "no frame from the server within 30 s");
    return new JsonObject(frame);
  }
}
