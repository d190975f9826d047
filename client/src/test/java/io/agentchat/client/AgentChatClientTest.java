package io.agentchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.Identity;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.protocol.ServerFrame.AgentListing;
import io.agentchat.protocol.ServerFrame.ChannelSummary;
import io.agentchat.protocol.ServerFrame.Joined;
import io.agentchat.protocol.ServerFrame.NickChanged;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentChatClientTest {
  private LocalRelay relay;

  @BeforeEach
  void startRelay() throws Exception {
    relay = LocalRelay.start();
  }

  @AfterEach
  void stopRelay() throws Exception {
    relay.close();
  }

  private AgentChatClient connect(Vertx vertx, String name) {
    return AgentChatClient.connect(vertx, relay.url(), name, null).await();
  }

  @Test
  void anEphemeralAgentIsWelcomedWithAFreshId(Vertx vertx) {
    AgentChatClient client = connect(vertx, "alice");

    assertTrue(client.agentId().matches("@[a-z0-9]{8}"), client.agentId());
    assertEquals("alice", client.name());
    assertNull(client.welcome().verified(), "ephemeral agents carry no verified flag");
    assertFalse(client.hasIdentity());
    client.close().await();
  }

  @Test
  void anAgentWithAnIdentityProvesItsKeyAndGetsTheIdOfThatKey(Vertx vertx) {
    Identity identity = Identity.generate("keyed");

    AgentChatClient client =
        AgentChatClient.connect(vertx, relay.url(), "ignored", identity).await();

    assertEquals("@" + identity.agentId(), client.agentId());
    assertEquals("keyed", client.name(), "the identity's name wins over the one passed");
    assertNotNull(client.welcome().verified(), "keyed logins carry a verified flag");
    client.close().await();
  }

  @Test
  void twoAgentsInAChannelReceiveEachOthersMessages(Vertx vertx, VertxTestContext test) {
    AgentChatClient alice = connect(vertx, "alice");
    AgentChatClient bob = connect(vertx, "bob");
    Checkpoint received = test.checkpoint();
    bob.frameHandler(
        frame -> {
          if (frame instanceof ServerFrame.Msg msg && "hello bob".equals(msg.content())) {
            test.verify(
                () -> {
                  assertEquals(alice.agentId(), msg.from());
                  assertEquals("alice", msg.fromName());
                  assertEquals("#general", msg.to());
                });
            received.flag();
          }
        });
    bob.join("#general").await();
    Joined joined = alice.join("#general").await();

    assertEquals(2, joined.agents().size());
    alice.send("#general", "hello bob").await();
  }

  @Test
  void aDirectMessageReachesOnlyItsTarget(Vertx vertx, VertxTestContext test) {
    AgentChatClient alice = connect(vertx, "alice");
    AgentChatClient bob = connect(vertx, "bob");
    Checkpoint received = test.checkpoint();
    bob.frameHandler(
        frame -> {
          if (frame instanceof ServerFrame.Msg msg && msg.from().equals(alice.agentId())) {
            test.verify(() -> assertEquals("psst", msg.content()));
            received.flag();
          }
        });

    alice.send(bob.agentId(), "psst").await();
  }

  @Test
  void listsThePublicChannelsAndTheMembersOfAChannel(Vertx vertx) {
    AgentChatClient alice = connect(vertx, "alice");
    AgentChatClient bob = connect(vertx, "bob");
    alice.join("#help").await();
    bob.join("#help").await();

    List<ChannelSummary> channels = alice.listChannels().await();
    List<AgentListing> agents = alice.listAgents("#help").await();

    assertEquals("#general", channels.get(0).name());
    ChannelSummary help =
        channels.stream().filter(c -> c.name().equals("#help")).findFirst().orElseThrow();
    assertEquals(2, help.agents());
    assertEquals(
        Set.of(alice.agentId(), bob.agentId()),
        agents.stream().map(AgentListing::id).collect(Collectors.toSet()));
    assertTrue(agents.stream().allMatch(a -> a.presence().equals("online")));
  }

  @Test
  void anInviteOnlyChannelAdmitsOnlyTheAgentsItsMembersInvited(Vertx vertx) {
    AgentChatClient owner = connect(vertx, "owner");
    AgentChatClient guest = connect(vertx, "guest");

    Joined created = owner.createChannel("#secret", true).await();
    AgentChatException refused =
        assertThrows(AgentChatException.class, () -> guest.join("#secret").await());
    owner.invite("#secret", guest.agentId().substring(1)).await();
    Joined joined = guest.join("#secret").await();

    assertEquals("#secret", created.channel());
    assertEquals(ErrorCode.NOT_INVITED, refused.errorCode());
    assertEquals(2, joined.agents().size());
    assertFalse(
        owner.listChannels().await().stream().anyMatch(c -> c.name().equals("#secret")),
        "invite-only channels are not listed");
  }

  @Test
  void creatingAnExistingChannelFailsWithChannelExists(Vertx vertx) {
    AgentChatClient client = connect(vertx, "alice");

    AgentChatException e =
        assertThrows(
            AgentChatException.class, () -> client.createChannel("#general", false).await());

    assertEquals("CHANNEL_EXISTS", e.code());
  }

  @Test
  void changingTheNickAnswersWithTheChangeAndRenamesTheClient(Vertx vertx) {
    AgentChatClient client = connect(vertx, "alice");
    client.join("#general").await();

    NickChanged changed = client.setNick("alicia").await();

    assertEquals(client.agentId(), changed.agentId());
    assertEquals("alice", changed.oldNick());
    assertEquals("alicia", changed.newNick());
    assertEquals("alicia", client.name());
  }

  @Test
  void aRefusedRequestFailsWithTheServersErrorAndTheClientStaysUsable(Vertx vertx) {
    AgentChatClient client = connect(vertx, "alice");

    AgentChatException e =
        assertThrows(AgentChatException.class, () -> client.join("#nope").await());
    List<ChannelSummary> channels = client.listChannels().await();

    assertEquals(ErrorCode.CHANNEL_NOT_FOUND, e.errorCode());
    assertEquals("Channel #nope not found", e.getMessage());
    assertEquals("Channel #nope not found (CHANNEL_NOT_FOUND)", e.describe());
    assertFalse(channels.isEmpty());
  }

  @Test
  void aMessageTheServerRefusesFailsTheSendThatCarriedIt(Vertx vertx) {
    AgentChatClient client = connect(vertx, "alice");

    AgentChatException toNobody =
        assertThrows(AgentChatException.class, () -> client.send("@nobody42", "hi").await());
    AgentChatException notMember =
        assertThrows(AgentChatException.class, () -> client.send("#help", "hi").await());

    assertEquals(ErrorCode.AGENT_NOT_FOUND, toNobody.errorCode());
    assertEquals(ErrorCode.NOT_INVITED, notMember.errorCode());
  }

  @Test
  void requestsSentTogetherAreAnsweredInOrder(Vertx vertx) {
    AgentChatClient client = connect(vertx, "alice");

    var joined = client.join("#general");
    var missing = client.join("#missing");
    var channels = client.listChannels();
    var agents = client.listAgents("#general");

    assertEquals("#general", joined.await().channel());
    assertThrows(AgentChatException.class, missing::await);
    assertFalse(channels.await().isEmpty());
    assertEquals(client.agentId(), agents.await().get(0).id());
  }

  @Test
  void whenTheRelayStopsTheCloseHandlerRunsAndLaterRequestsFail(Vertx vertx) throws Exception {
    AgentChatClient client = connect(vertx, "alice");
    CompletableFuture<Disconnect> closed = new CompletableFuture<>();
    client.closeHandler(closed::complete);

    relay.stop();
    Disconnect how = closed.get(10, TimeUnit.SECONDS);

    assertFalse(how.byClient());
    assertNotEquals(null, how.code());
    AgentChatException e =
        assertThrows(AgentChatException.class, () -> client.listChannels().await());
    assertNull(e.code(), "a local failure has no server code");
  }

  @Test
  void aClientWithoutAGivenVertxRunsOnOneOfItsOwnAndReleasesItOnClose() {
    AgentChatClient client = AgentChatClient.connect(relay.url(), "loner", null).await();

    Joined joined = client.join("#general").await();
    client.close().await();

    assertEquals(client.agentId(), joined.agents().get(0).id());
    assertTrue(client.disconnect().byClient());
  }

  @Test
  void aUrlThatIsNotWebSocketIsRefusedBeforeConnecting(Vertx vertx) {
    assertThrows(
        IllegalArgumentException.class,
        () -> AgentChatClient.connect(vertx, "http://127.0.0.1:1", "alice", null).await());
    assertThrows(
        IllegalArgumentException.class,
        () -> AgentChatClient.connect(vertx, relay.url(), "bad name!", null).await());
  }

  @Test
  void anUnreachableRelayFailsTheConnectWithAPlainMessage(Vertx vertx) throws Exception {
    String url = relay.url();
    relay.stop();

    AgentChatException e =
        assertThrows(
            AgentChatException.class,
            () -> AgentChatClient.connect(vertx, url, "alice", null).await());

    assertTrue(e.getMessage().startsWith("Cannot connect to " + url), e.getMessage());
  }

  @Test
  void relayUrlsAreParsedWithSchemeDefaults() {
    assertEquals(new RelayUrl(false, "example.org", 80, "/"), RelayUrl.parse("ws://example.org"));
    assertEquals(
        new RelayUrl(true, "example.org", 443, "/chat"), RelayUrl.parse("wss://example.org/chat"));
    assertEquals(new RelayUrl(false, "::1", 6667, "/"), RelayUrl.parse("ws://[::1]:6667"));
    assertInstanceOf(
        IllegalArgumentException.class,
        assertThrows(RuntimeException.class, () -> RelayUrl.parse("localhost:6667")));
  }
}
