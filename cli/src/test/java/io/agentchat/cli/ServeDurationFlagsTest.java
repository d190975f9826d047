package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * serve's duration flags ({@code --challenge-timeout}, {@code --verification-timeout}, {@code
 * --min-proposal-age}) take seconds or a number with ms, s or m, and refuse anything else in one
 * line with exit code 2 before starting anything.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeDurationFlagsTest {
  /**
   * Nothing listens on port 1: the marketplace's first start fails at once and serve prints its URL
   * with chat running, without the seconds an embedded Postgres takes to initialise.
   */
  private static final String NO_DATABASE = "postgresql://agentchat:unused@127.0.0.1:1/agentchat";

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
  void aChallengeTimeoutInMillisecondsReachesTheRelay() throws Exception {
    server =
        ServeProcess.start(
            dir.resolve("data"),
            dir.resolve("serve.log"),
            "--db",
            NO_DATABASE,
            "--challenge-timeout",
            "500ms");
    URI address = URI.create(server.url(Duration.ofSeconds(60)));

    vertx = Vertx.vertx();
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closedWith = new CompletableFuture<>();
    WebSocket ws =
        vertx
            .createWebSocketClient()
            .connect(
                new WebSocketConnectOptions()
                    .setHost(address.getHost())
                    .setPort(address.getPort())
                    .setURI("/"))
            .await(30, TimeUnit.SECONDS);
    ws.textMessageHandler(frames::add);
    ws.closeHandler(v -> closedWith.complete(ws.closeStatusCode()));
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "IDENTIFY")
            .put("name", "slowpoke")
            .put("pubkey", AgentKeyPair.generate().publicKey().pem())
            .encode());

    JsonObject challenge = new JsonObject(frames.poll(30, TimeUnit.SECONDS));
    assertEquals("CHALLENGE", challenge.getString("type"), challenge.encode());
    assertEquals(
        500, challenge.getLong("expires_at") - challenge.getLong("ts"), challenge.encode());

    // Unanswered, it expires long before the default 60 s would have passed.
    JsonObject expired = new JsonObject(frames.poll(30, TimeUnit.SECONDS));
    assertEquals("ERROR", expired.getString("type"), expired.encode());
    assertEquals("VERIFICATION_EXPIRED", expired.getString("code"));
    assertEquals("Challenge expired", expired.getString("message"));
    assertEquals((short) 1000, closedWith.get(30, TimeUnit.SECONDS));
  }

  @ParameterizedTest(name = "{0} \"{1}\" exits 2")
  @CsvSource({
    "--challenge-timeout, abc",
    "--challenge-timeout, -1s",
    "--challenge-timeout, 5h",
    "--challenge-timeout, ''",
    "--verification-timeout, abc",
    "--verification-timeout, -1s",
    "--verification-timeout, 5h",
    "--verification-timeout, ''",
    "--min-proposal-age, abc",
    "--min-proposal-age, -1s",
    "--min-proposal-age, 5h",
    "--min-proposal-age, ''",
  })
  void aValueThatIsNoDurationExitsTwoNamingTheFlagAndTheAcceptedForms(String flag, String value) {
    CliRun.Result run = CliRun.run("serve", "--port", "0", flag, value);

    assertEquals(2, run.exitCode());
    assertEquals(
        "Error: "
            + flag
            + " must be a number of seconds (30) or a number with ms, s or m (500ms, 1.5s, 2m);"
            + " got \""
            + value
            + "\"\n",
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void aTimeoutOfZeroIsRefusedByTheRelayAsBefore() {
    CliRun.Result run = CliRun.run("serve", "--port", "0", "--challenge-timeout", "0ms");

    assertEquals(2, run.exitCode());
    assertEquals("Error: --challenge-timeout must be positive\n", run.err());
  }

  @Test
  void helpNamesTheAcceptedFormsAndShowsTheDefaultsWithTheirUnit() {
    CliRun.Result run = CliRun.run("serve", "--help");

    assertEquals(0, run.exitCode(), run.err());
    String help = run.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("--challenge-timeout=DURATION"), help);
    assertTrue(help.contains("--verification-timeout=DURATION"), help);
    assertTrue(help.contains("--min-proposal-age=DURATION"), help);
    assertTrue(help.contains("(default: 60s)"), help);
    assertTrue(help.contains("(default: 30s)"), help);
    assertTrue(help.contains("A bare number is seconds; or 500ms, 1.5s, 2m."), help);
  }
}
