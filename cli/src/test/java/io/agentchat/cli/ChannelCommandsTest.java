package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.LocalRelay;
import io.agentchat.identity.Identity;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelCommandsTest {
  private LocalRelay relay;
  private Vertx vertx;

  @BeforeEach
  void startRelay() throws Exception {
    relay = LocalRelay.start();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopRelay() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    relay.close();
  }

  private AgentChatClient member(String name, String channel) {
    AgentChatClient client = AgentChatClient.connect(vertx, relay.url(), name, null).await();
    client.join(channel).await();
    return client;
  }

  @Test
  void channelsPrintsOneIndentedLinePerPublicChannelWithItsAgentCount() {
    member("alice", "#help");

    CliRun.Result channels = CliRun.run("channels", relay.url());

    assertEquals(0, channels.exitCode(), channels.err());
    assertTrue(channels.out().startsWith("  #general (0 agents)\n"), channels.out());
    assertTrue(channels.out().contains("\n  #help (1 agents)\n"), channels.out());
  }

  @Test
  void channelsWithJsonPrintsTheListAsJson() throws Exception {
    CliRun.Result channels = CliRun.run("channels", relay.url(), "--json");

    JsonNode list = new ObjectMapper().readTree(channels.out());
    assertEquals(0, channels.exitCode());
    assertEquals("#general", list.get(0).get("name").asText());
    assertEquals(0, list.get(0).get("agents").asInt());
  }

  @Test
  void agentsPrintsEachMemberWithNameAndPresence() {
    AgentChatClient alice = member("alice", "#love");

    CliRun.Result agents = CliRun.run("agents", relay.url(), "#love");

    assertEquals(0, agents.exitCode(), agents.err());
    assertEquals("  " + alice.agentId() + " (alice) [online]\n", agents.out());
  }

  @Test
  void agentsOfAnEmptyChannelSaysSo() {
    CliRun.Result agents = CliRun.run("agents", relay.url(), "#pull-requests");

    assertEquals(0, agents.exitCode(), agents.err());
    assertEquals("No agents in #pull-requests\n", agents.out());
  }

  @Test
  void agentsOfAnUnknownChannelFailsWithTheServersError() {
    CliRun.Result agents = CliRun.run("agents", relay.url(), "#nope");

    assertEquals(1, agents.exitCode());
    assertEquals("Error: Channel #nope not found (CHANNEL_NOT_FOUND)\n", agents.err());
  }

  @Test
  void anIdentityThatCreatedAPrivateChannelCanLaterInviteAnAgentToIt(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("owner.json");
    Identity.generate("owner").save(file);
    AgentChatClient guest = AgentChatClient.connect(vertx, relay.url(), "guest", null).await();

    CliRun.Result create =
        CliRun.run("create", relay.url(), "#den", "--private", "--identity", file.toString());
    CliRun.Result invite =
        CliRun.run(
            "invite",
            relay.url(),
            "#den",
            guest.agentId().substring(1),
            "--identity",
            file.toString());

    assertEquals(0, create.exitCode(), create.err());
    assertEquals("Created invite-only channel #den\n", create.out());
    assertEquals(0, invite.exitCode(), invite.err());
    assertEquals("Invited " + guest.agentId() + " to #den\n", invite.out());
    assertEquals("#den", guest.join("#den").await().channel());
  }

  @Test
  void aMissingIdentityFileGivenByNameConnectsEphemerallyWithoutCreatingIt(@TempDir Path dir) {
    Path missing = dir.resolve("none.json");

    CliRun.Result channels = CliRun.run("channels", relay.url(), "--identity", missing.toString());

    assertEquals(0, channels.exitCode(), channels.err());
    assertTrue(channels.err().contains("connecting as an ephemeral agent"), channels.err());
    assertFalse(Files.exists(missing));
  }

  @Test
  void creatingAChannelThatExistsFails() {
    CliRun.Result create = CliRun.run("create", relay.url(), "#general");

    assertEquals(1, create.exitCode());
    assertEquals("Error: Channel #general already exists (CHANNEL_EXISTS)\n", create.err());
  }

  @Test
  void nickReportsTheOldAndNewName() {
    CliRun.Result nick = CliRun.run("nick", relay.url(), "renamed", "--name", "before");

    assertEquals(0, nick.exitCode(), nick.err());
    assertEquals("Nick changed from before to renamed\n", nick.out());
  }
}
