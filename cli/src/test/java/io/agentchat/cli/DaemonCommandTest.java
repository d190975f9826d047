package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.daemon.DaemonFiles;
import io.agentchat.client.daemon.DaemonState;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon against a real relay, with real files, run in-process as the command line runs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DaemonCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final ObjectMapper json = new ObjectMapper();
  private final List<CliRun> daemons = new ArrayList<>();
  private Vertx vertx;
  private RelayServer relay;
  private String url;

  @TempDir Path dir;

  @BeforeEach
  void startRelay() throws Exception {
    vertx = Vertx.vertx();
    relay = RelayServer.start(vertx, relayOptions().port(0)).await();
    url = relay.url();
  }

  /** A relay that lets tests send quickly; the rate limit has tests of its own. */
  private static RelayOptions relayOptions() {
    return new RelayOptions().eventLoops(1).msgRate(1000).msgBurst(1000).frameWindowLimit(100_000);
  }

  @AfterEach
  void stopEverything() throws Exception {
    CliRun.run("daemon", "--stop-all", "--home", home().toString());
    for (CliRun daemon : daemons) {
      daemon.exitCode().get(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private Path home() {
    return dir.resolve(".agentchat");
  }

  private DaemonFiles files(String name) {
    return DaemonFiles.of(home(), name);
  }

  /** Starts a daemon in the background of this JVM and waits until it is connected. */
  private CliRun daemon(String name, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "daemon",
                url,
                "--name",
                name,
                "--home",
                home().toString(),
                "--outbox-rate",
                "500"));
    args.addAll(List.of(more));
    CliRun run = CliRun.inBackground(args.toArray(String[]::new));
    daemons.add(run);
    run.err.awaitContains("connected to", WAIT);
    return run;
  }

  private String identity(String name) throws Exception {
    Path file = dir.resolve(name + ".json");
    Identity.generate(name).save(file);
    return file.toString();
  }

  /** An agent in {@code channel} that keeps the contents of the messages it receives. */
  private List<String> listener(String channel) {
    List<String> received = new CopyOnWriteArrayList<>();
    AgentChatClient client =
        AgentChatClient.connect(vertx, url, "watcher", null, Duration.ofSeconds(10), c -> {})
            .await();
    client.frameHandler(
        f -> {
          if (f instanceof ServerFrame.Msg m && m.replay() == null && !m.from().equals("@server")) {
            received.add(m.content());
          }
        });
    client.join(channel).await();
    return received;
  }

  private void appendToOutbox(DaemonFiles files, String text) {
    try {
      Files.createDirectories(files.dir());
      Files.writeString(
          files.outbox(),
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(String to, String content) {
    return "{\"to\":\"" + to + "\",\"content\":\"" + content + "\"}\n";
  }

  private boolean connected(String name) {
    try {
      return DaemonState.read(files(name)).connected();
    } catch (IOException e) {
      return false;
    }
  }

  // --------------------------------------------------------------------------------- tests

  @Test
  void outboxLinesAppendedWhileItSendsAreEachSentOnceEvenAcrossARestart() throws Exception {
    List<String> received = listener("#general");
    daemon("a");
    DaemonFiles a = files("a");

    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 60; i++) {
                String line = line("#general", "m" + i);
                if (i % 7 == 0) {
                  // A line written in two pieces: the daemon must wait for its newline.
                  appendToOutbox(a, line.substring(0, 10));
                  appendToOutbox(a, line.substring(10));
                } else {
                  appendToOutbox(a, line);
                }
              }
            });
    writer.start();
    writer.join();
    Conditions.await("60 messages arrive", WAIT, () -> received.size() >= 60);

    assertEquals(0, CliRun.run("daemon", "--stop", "a", "--home", home().toString()).exitCode());
    appendToOutbox(a, line("#general", "while stopped"));
    daemon("a");
    appendToOutbox(a, line("#general", "last"));
    Conditions.await("the last line arrives", WAIT, () -> received.contains("last"));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      expected.add("m" + i);
    }
    expected.add("while stopped");
    expected.add("last");
    assertEquals(expected, received);
  }

  @Test
  void aSecondDaemonForTheSameIdentityOrNameIsRefused() throws Exception {
    String alice = identity("alice");
    daemon("first", "--identity", alice);

    CliRun.Result sameIdentity =
        CliRun.run(
            "daemon", url, "--name", "second", "--home", home().toString(), "--identity", alice);
    CliRun.Result sameName =
        CliRun.run("daemon", url, "--name", "first", "--home", home().toString());

    assertEquals(1, sameIdentity.exitCode());
    assertTrue(
        sameIdentity.err().startsWith("Error: A daemon already runs for the identity"),
        sameIdentity.err());
    assertEquals(1, sameName.exitCode());
    assertTrue(
        sameName.err().startsWith("Error: A daemon named \"first\" is already running"),
        sameName.err());
    assertTrue(connected("first"));
  }

  @Test
  void commandsRunWithTheDaemonsIdentityGoThroughItWithoutDisplacingIt() throws Exception {
    String alice = identity("alice");
    List<String> received = listener("#general");
    daemon("alice", "--identity", alice);
    String since = Files.readString(files("alice").state());

    CliRun listen =
        CliRun.inBackground("listen", url, "#general", "--identity", alice, "--max-messages", "1");
    listen.err.awaitContains("Listening on #general", WAIT);
    CliRun.Result send = CliRun.run("send", url, "#general", "through the daemon", "-i", alice);
    CliRun.Result channels = CliRun.run("channels", url, "--identity", alice);

    assertEquals(0, send.exitCode(), send.err());
    assertEquals("Message sent\n", send.out());
    assertEquals(0, listen.exitCode().get(30, TimeUnit.SECONDS), listen.err.text());
    assertEquals("through the daemon", json.readTree(listen.out.text()).get("content").asText());
    assertEquals(0, channels.exitCode(), channels.err());
    assertTrue(channels.out().contains("#general"), channels.out());
    Conditions.await("the watcher gets it", WAIT, () -> received.contains("through the daemon"));
    // Never displaced: the daemon's state was not rewritten by a disconnect and a new login.
    assertEquals(since, Files.readString(files("alice").state()));
    assertTrue(connected("alice"));
  }

  @Test
  void aDisplacedDaemonBacksOffInsteadOfFightingForTheConnection() throws Exception {
    String alice = identity("alice");
    daemon("alice", "--identity", alice);

    AgentChatClient intruder =
        AgentChatClient.connect(vertx, url, "alice", Identity.load(Path.of(alice))).await();
    Conditions.await("the daemon is displaced", WAIT, () -> !connected("alice"));
    Path log = files("alice").log();
    Conditions.await(
        "the daemon logs it",
        WAIT,
        () -> {
          try {
            return Files.readString(log).contains("\"event\":\"displaced\"");
          } catch (IOException e) {
            return false;
          }
        });

    JsonNode reconnect = null;
    for (String line : Files.readAllLines(log)) {
      JsonNode event = json.readTree(line);
      if (event.path("event").asText().equals("reconnecting")) {
        reconnect = event;
      }
    }
    assertTrue(
        reconnect != null && reconnect.get("in_ms").asLong() >= 15_000, String.valueOf(reconnect));
    assertTrue(intruder.disconnect() == null, "the intruder keeps its connection");
    intruder.close().await();
  }

  @Test
  void theDaemonLogsInAgainAfterTheServerRestarts() throws Exception {
    int port = relay.actualPort();
    daemon("a", "--channels", "#general");
    relay.close().await(10, TimeUnit.SECONDS);
    Conditions.await("the daemon notices", WAIT, () -> !connected("a"));

    relay = RelayServer.start(vertx, relayOptions().port(port)).await();
    Conditions.await("the daemon is back", WAIT, () -> connected("a"));
    List<String> received = listener("#general");
    appendToOutbox(files("a"), line("#general", "after the restart"));

    Conditions.await("the line arrives", WAIT, () -> received.contains("after the restart"));
    String log = Files.readString(files("a").log());
    assertTrue(log.contains("\"event\":\"reconnecting\""), log);
    assertFalse(log.contains("after the restart"), "no message content in the log");
  }

  @Test
  void theInboxRotatesWithoutCuttingALine() throws Exception {
    daemon("a", "--inbox-max-mb", "0.002");
    AgentChatClient other =
        AgentChatClient.connect(vertx, url, "other", null, Duration.ofSeconds(10), c -> {}).await();
    other.join("#general").await();
    for (int i = 0; i < 40; i++) {
      other.send("#general", "message number " + i + " " + "x".repeat(100)).await();
    }
    DaemonFiles a = files("a");
    Conditions.await(
        "the last message is in the inbox",
        WAIT,
        () -> {
          try {
            return Files.exists(a.inbox()) && Files.readString(a.inbox()).contains("number 39 ");
          } catch (IOException e) {
            return false;
          }
        });

    assertTrue(Files.exists(a.rotatedInbox(1)));
    assertTrue(Files.size(a.inbox()) <= 2 * 1024 * 1024 / 1000 + 2048);
    for (Path file : List.of(a.inbox(), a.rotatedInbox(1), a.rotatedInbox(2))) {
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        JsonNode frame = json.readTree(line);
        assertTrue(frame.has("type"), line);
      }
    }
    CliRun.Result read =
        CliRun.run("read", "--name", "a", "--home", home().toString(), "--limit", "1");
    assertTrue(read.out().contains("message number 39 "), read.out());
  }
}
