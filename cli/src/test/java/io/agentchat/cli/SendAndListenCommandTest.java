package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.LocalRelay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendAndListenCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final ObjectMapper json = new ObjectMapper();
  private LocalRelay relay;

  @BeforeEach
  void startRelay() throws Exception {
    relay = LocalRelay.start();
  }

  @AfterEach
  void stopRelay() throws Exception {
    relay.close();
  }

  @Test
  void listenPrintsAMessageSentWithSendAsOneJsonLine() throws Exception {
    CliRun listen =
        CliRun.inBackground(
            "listen", relay.url(), "#general", "--name", "listener", "--max-messages", "3");
    listen.err.awaitContains("Listening on #general", WAIT);

    CliRun.Result send =
        CliRun.run("send", relay.url(), "#general", "hello from send", "--name", "sender");
    int listenExit = listen.exitCode().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertEquals(0, send.exitCode(), send.err());
    assertEquals("Message sent\n", send.out());
    assertEquals(0, listenExit, listen.err.text());
    List<String> lines = listen.out.text().lines().toList();
    assertEquals(3, lines.size(), listen.out.text());
    JsonNode welcome = json.readTree(lines.get(0));
    JsonNode joined = json.readTree(lines.get(1));
    JsonNode message = json.readTree(lines.get(2));
    assertEquals("@server", welcome.get("from").asText());
    assertEquals("AGENT_JOINED", joined.get("type").asText());
    assertEquals("sender", joined.get("name").asText());
    assertEquals("MSG", message.get("type").asText());
    assertEquals("hello from send", message.get("content").asText());
    assertEquals("sender", message.get("from_name").asText());
    assertTrue(
        lines.get(2).startsWith("{\"type\":\"MSG\",\"ts\":"),
        "printed exactly as received: " + lines.get(2));
  }

  @Test
  void listenReplaysTheHistoryOfTheChannelsItJoins() throws Exception {
    assertEquals(0, CliRun.run("send", relay.url(), "#help", "earlier").exitCode());

    CliRun.Result listen = CliRun.run("listen", relay.url(), "#help", "--max-messages", "1");

    assertEquals(0, listen.exitCode(), listen.err());
    JsonNode replayed = json.readTree(listen.out().strip());
    assertEquals("earlier", replayed.get("content").asText());
    assertTrue(replayed.get("replay").asBoolean());
  }

  @Test
  void sendingToAnUnknownChannelPrintsTheServersErrorAndExitsOne() {
    CliRun.Result send = CliRun.run("send", relay.url(), "#nope", "hello");

    assertEquals(1, send.exitCode());
    assertEquals("", send.out());
    assertEquals("Error: Channel #nope not found (CHANNEL_NOT_FOUND)\n", send.err());
  }

  @Test
  void sendingToAnAgentThatIsNotOnlineExitsOne() {
    CliRun.Result send = CliRun.run("send", relay.url(), "@nobody42", "hello");

    assertEquals(1, send.exitCode());
    assertEquals("Error: Agent @nobody42 not found (AGENT_NOT_FOUND)\n", send.err());
  }

  @Test
  void listenEndsWithAnErrorWhenTheRelayStops() throws Exception {
    CliRun listen = CliRun.inBackground("listen", relay.url(), "#general");
    listen.err.awaitContains("Listening on", WAIT);

    relay.stop();

    assertEquals(1, listen.exitCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertTrue(
        listen.err.text().contains("Error: Connection closed by the server"), listen.err.text());
  }
}
