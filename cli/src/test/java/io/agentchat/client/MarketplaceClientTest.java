package io.agentchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client's marketplace requests against a real relay and marketplace. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MarketplaceClientTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static LocalMarketplace market;
  private Vertx vertx;

  @BeforeAll
  static void startMarketplace(@TempDir Path dataDir) throws Exception {
    market = LocalMarketplace.start(dataDir);
  }

  @AfterAll
  static void stopMarketplace() throws Exception {
    market.close();
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() {
    vertx.close().await();
  }

  private AgentChatClient connect(Identity identity) {
    return AgentChatClient.connect(vertx, market.url(), "agent", identity).await();
  }

  /** A client that records every frame from login on. */
  private AgentChatClient connectRecording(Identity identity, FrameLog frames) {
    return AgentChatClient.connect(
            vertx,
            market.url(),
            "agent",
            identity,
            AgentChatClient.DEFAULT_TIMEOUT,
            c -> c.frameHandler(frames))
        .await();
  }

  private static Identity introduced(String name) {
    Identity identity = Identity.generate(name);
    market.introduce(identity);
    return identity;
  }

  private static Predicate<ServerFrame> frame(String type, String field, String value) {
    return f -> {
      ObjectNode body = MarketplaceRequest.body(f, type);
      return body != null && value.equals(body.path(field).asText(null));
    };
  }

  @Test
  void aProposalWithAnAmountIsSignedAsTheServerReadsItAndEchoedWithItsId() {
    Identity alice = introduced("alice");
    Identity bob = introduced("bob");
    AgentChatClient proposer = connect(alice);

    ObjectNode proposal =
        proposer
            .propose(
                bob.agentId(),
                "Review PR #42",
                new BigDecimal("2.50"),
                "SOL",
                "addr-1",
                300L,
                "within a day",
                5L)
            .await();

    assertTrue(proposal.path("id").asText().startsWith("prop_"), proposal.toString());
    assertEquals("@" + alice.agentId(), proposal.path("from").asText());
    assertEquals("@" + bob.agentId(), proposal.path("to").asText());
    assertEquals(2.5, proposal.path("amount").doubleValue());
    assertEquals("pending", proposal.path("status").asText());
    assertEquals("within a day", proposal.path("terms").asText());
  }

  @Test
  void aKeyedAgentIsHandedItsOpenProposalsAfterLoginWithoutBreakingItsNextRequests()
      throws Exception {
    Identity alice = introduced("alice");
    Identity bob = introduced("bob");
    AgentChatClient proposer = connect(alice);
    String first =
        proposer
            .propose(bob.agentId(), "first task", null, null, null, 600L, null, null)
            .await()
            .path("id")
            .asText();
    String second =
        proposer
            .propose(bob.agentId(), "second task", null, null, null, 600L, null, null)
            .await()
            .path("id")
            .asText();
    proposer.close().await();

    FrameLog frames = new FrameLog();
    AgentChatClient recipient = connectRecording(bob, frames);
    ObjectNode accepted = recipient.accept(first, null, null).await();
    ObjectNode listed = recipient.listProposals("pending", null).await();

    assertEquals(first, accepted.path("proposal_id").asText());
    assertEquals("accepted", accepted.path("status").asText());
    assertEquals(1, listed.path("list").size(), listed.toString());
    assertEquals(second, listed.path("list").get(0).path("id").asText());
    frames.await(frame("PROPOSAL", "id", first), WAIT);
    frames.await(frame("PROPOSAL", "id", second), WAIT);
  }

  @Test
  void missedNoticesHandedOverAtLoginAreNotTakenForTheAnswersOfNewRequests() throws Exception {
    Identity alice = introduced("alice");
    Identity bob = introduced("bob");
    AgentChatClient proposer = connect(alice);
    String id =
        proposer
            .propose(bob.agentId(), "build it", null, null, null, 600L, null, null)
            .await()
            .path("id")
            .asText();
    proposer.close().await();
    AgentChatClient recipient = connect(bob);
    awaitOffline(recipient, alice);
    recipient.accept(id, null, null).await();
    recipient.close().await();

    // Alice comes back to an ACCEPT notice and her accepted proposal, both handed over at login.
    FrameLog frames = new FrameLog();
    AgentChatClient back = connectRecording(alice, frames);
    ObjectNode next =
        back.propose(bob.agentId(), "build it", null, null, null, 900L, null, null).await();
    ObjectNode completed = back.complete(id, "https://example.test/pr/1").await();

    assertNotEquals(id, next.path("id").asText());
    assertEquals("pending", next.path("status").asText());
    assertEquals(id, completed.path("proposal_id").asText());
    assertEquals("@" + alice.agentId(), completed.path("completed_by").asText());
    frames.await(frame("ACCEPT", "proposal_id", id), WAIT);
  }

  /**
   * Waits until the server has processed {@code agent}'s disconnect (a DM to it is refused), so
   * frames for it are kept as notices rather than handed to a socket that is still closing.
   */
  private static void awaitOffline(AgentChatClient probe, Identity agent) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        probe.send("@" + agent.agentId(), "are you there?").await();
      } catch (AgentChatException e) {
        if ("AGENT_NOT_FOUND".equals(e.code())) {
          return;
        }
        throw e;
      }
    }
    throw new AssertionError("@" + agent.agentId() + " never went offline");
  }

  @Test
  void aRefusalFailsOnlyTheRequestItAnswers() {
    Identity alice = introduced("alice");
    AgentChatClient client = connect(alice);

    AgentChatException refused =
        assertThrows(
            AgentChatException.class,
            () -> client.accept("prop_nope_00000000", null, null).await());
    ObjectNode listed = client.listProposals(null, null).await();

    assertEquals("PROPOSAL_NOT_FOUND", refused.code());
    assertEquals("PROPOSALS", listed.path("type").asText());
  }

  @Test
  void skillsRegisteredWithAFractionalRateAreFoundByAnEphemeralSearch() {
    Identity carol = Identity.generate("carol");
    AgentChatClient registrant = connect(carol);
    ObjectNode skill =
        JsonNodeFactory.instance
            .objectNode()
            .put("capability", "haiku-writing")
            .put("rate", new BigDecimal("2.50"))
            .put("currency", "TEST");

    ObjectNode registered =
        registrant.registerSkills(JsonNodeFactory.instance.arrayNode().add(skill)).await();
    ObjectNode found =
        connect(null)
            .searchSkills(JsonNodeFactory.instance.objectNode().put("capability", "HAIKU"))
            .await();

    assertEquals("@" + carol.agentId(), registered.path("agent_id").asText());
    assertEquals(1, registered.path("skills_count").asInt());
    assertEquals(1, found.path("results").size(), found.toString());
    assertEquals(2.5, found.path("results").get(0).path("rate").doubleValue());
  }

  @Test
  void signedRequestsFailLocallyWithoutAnIdentity() {
    AgentChatClient ephemeral = connect(null);

    AgentChatException refused =
        assertThrows(
            AgentChatException.class,
            () ->
                ephemeral
                    .registerSkills(
                        JsonNodeFactory.instance
                            .arrayNode()
                            .add(JsonNodeFactory.instance.objectNode().put("capability", "x")))
                    .await());

    assertNull(refused.code(), "refused by the client, not the server");
    assertEquals(AgentChatClient.IDENTITY_REQUIRED, refused.getMessage());
  }

  @Test
  void aProposalToAnAgentTheMarketplaceNeverSawFailsWithAgentNotFound() {
    AgentChatClient client = connect(introduced("alice"));

    AgentChatException refused =
        assertThrows(
            AgentChatException.class,
            () ->
                client
                    .propose("@0123456789abcdef", "task", null, null, null, 60L, null, null)
                    .await());

    assertEquals("AGENT_NOT_FOUND", refused.code());
    assertEquals("Agent @0123456789abcdef not found", refused.getMessage());
  }
}
