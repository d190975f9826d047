package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** wait, poll, check, read and ts on a real daemon's inbox, fed by a real relay. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentPrimitivesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final ObjectMapper json = new ObjectMapper();
  private Vertx vertx;
  private String url;
  private CliRun daemon;
  private AgentChatClient other;

  @TempDir Path dir;

  @BeforeEach
  void startRelayAndDaemon() throws Exception {
    vertx = Vertx.vertx();
    RelayServer relay =
        RelayServer.start(
                vertx, new RelayOptions().port(0).eventLoops(1).msgRate(1000).msgBurst(1000))
            .await();
    url = relay.url();
    daemon = CliRun.inBackground("daemon", url, "--name", "me", "--home", home());
    daemon.err.awaitContains("connected to", WAIT);
    other =
        AgentChatClient.connect(vertx, url, "other", null, Duration.ofSeconds(10), c -> {}).await();
    other.join("#general").await();
  }

  @AfterEach
  void stop() throws Exception {
    CliRun.run("daemon", "--stop-all", "--home", home());
    daemon.exitCode().get(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private String home() {
    return dir.resolve(".agentchat").toString();
  }

  private CliRun.Result primitive(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--name", "me", "--home", home()}, 0, all, args.length, 4);
    return CliRun.run(all);
  }

  @Test
  void waitPrintsAMessageThatArrivesWhileItWaitsAndExitsZero() throws Exception {
    CliRun wait = CliRun.inBackground("wait", "--name", "me", "--home", home(), "-t", "60");
    other.send("#general", "are you there?").await();

    assertEquals(0, wait.exitCode().get(30, TimeUnit.SECONDS), wait.err.text());
    List<String> lines = wait.out.text().lines().toList();
    assertEquals(1, lines.size(), wait.out.text());
    JsonNode message = json.readTree(lines.get(0));
    assertEquals("are you there?", message.get("content").asText());
    assertEquals("other", message.get("from_name").asText());
  }

  @Test
  void waitExitsFourWhenNothingArrivesInTime() {
    CliRun.Result wait = primitive("wait", "--timeout", "0.2");

    assertEquals(WaitCommand.TIMED_OUT, wait.exitCode());
    assertEquals("", wait.out());
  }

  @Test
  void waitExitsFiveOnceTheStopFileExists() throws Exception {
    CliRun wait = CliRun.inBackground("wait", "--name", "me", "--home", home(), "-t", "60");
    Files.createFile(dir.resolve(".agentchat").resolve("stop"));

    assertEquals(WaitCommand.STOPPED, wait.exitCode().get(30, TimeUnit.SECONDS));
    assertEquals("", wait.out.text());
  }

  @Test
  void pollAndCheckPrintOnlyWhatIsNewAndLeaveOutTheAgentsOwnMessages() throws Exception {
    appendToOutbox("{\"to\":\"#general\",\"content\":\"my own words\"}\n");
    other.send("#general", "first").await();
    Conditions.await(
        "both messages are in the inbox",
        WAIT,
        () -> {
          // The daemon sends its outbox on its own schedule: wait for the echo of ours too.
          String all = primitive("read", "--all", "--own").out();
          return all.contains("\"first\"") && all.contains("my own words");
        });

    CliRun.Result poll = primitive("poll");
    CliRun.Result pollAgain = primitive("poll");
    CliRun.Result check = primitive("check");
    other.send("#general", "second").await();
    Conditions.await(
        "the second message is in the inbox",
        WAIT,
        () -> primitive("read").out().contains("\"second\""));
    CliRun.Result checkAfter = primitive("check");

    assertEquals(1, poll.out().lines().count(), poll.out());
    assertTrue(poll.out().contains("\"first\""), poll.out());
    assertEquals("", pollAgain.out());
    assertEquals("", pollAgain.err());
    assertEquals("", check.out());
    assertEquals("No new messages\n", check.err());
    assertEquals(1, checkAfter.out().lines().count(), checkAfter.out());
    assertTrue(checkAfter.out().contains("\"second\""), checkAfter.out());
    assertTrue(primitive("read", "--all", "--own").out().contains("my own words"));
    assertTrue(!primitive("read", "--all").out().contains("my own words"));
  }

  @Test
  void tsShowsTheNewestTimeReadAndSettingItRereadsWhatCameLater() throws Exception {
    other.send("#general", "one").await();
    CliRun.Result first = primitive("wait", "--timeout", "30");
    long ts = json.readTree(first.out().lines().findFirst().orElseThrow()).get("ts").asLong();

    assertEquals(ts + "\n", primitive("ts").out());
    assertEquals(0, primitive("ts", Long.toString(ts - 1)).exitCode());
    CliRun.Result again = primitive("check");
    assertTrue(again.out().contains("\"one\""), again.out());
  }

  private void appendToOutbox(String text) throws Exception {
    Path outbox = dir.resolve(".agentchat/daemons/me/outbox.jsonl");
    Files.writeString(
        outbox,
        text,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
