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

  private static Predicate<ServerFrame> proposal(String id) {
    return f -> f instanceof ServerFrame.Proposal p && p.id().equals(id);
  }

  @Test
  void aProposalWithAnAmountIsSignedAsTheServerReadsItAndEchoedWithItsId() {
    Identity alice = introduced("alice");
    Identity bob = introduced("bob");
    AgentChatClient proposer = connect(alice);

    ServerFrame.Proposal proposal =
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

    assertTrue(proposal.id().startsWith("prop_"), proposal.toString());
    assertEquals("@" + alice.agentId(), proposal.from());
    assertEquals("@" + bob.agentId(), proposal.to());
    assertEquals(new BigDecimal("2.5"), proposal.amount());
    assertEquals("pending", proposal.status());
    assertEquals("within a day", proposal.terms());
  }

  @Test
  void anAgentIsHandedEveryProposalItMissedOnceEvenWhenItActsOnOneFirst() throws Exception {
    Identity alice = introduced("alice");
    Identity bob = introduced("bob");
    AgentChatClient proposer = connect(alice);
    String first =
        proposer
            .propose(bob.agentId(), "first task", null, null, null, 600L, null, null)
            .await()
            .id();
    String second =
        proposer
            .propose(bob.agentId(), "second task", null, null, null, 600L, null, null)
            .await()
            .id();
    proposer.close().await();

    FrameLog frames = new FrameLog();
    AgentChatClient recipient = connectRecording(bob, frames);
    ServerFrame.Accept accepted = recipient.accept(first, null, null).await();
    ServerFrame.Proposals listed = recipient.listProposals("pending", null).await();

    assertEquals(first, accepted.proposalId());
    assertEquals("accepted", accepted.status());
    assertEquals(1, listed.list().size(), listed.toString());
    assertEquals(second, listed.list().get(0).id());
    // The hand-over delivers each frame the agent missed exactly once, in the order it was kept,
    // whatever the agent does meanwhile (SPEC.md §7.2): the ACCEPT above may run before or after
    // the first PROPOSAL arrives, and both still arrive, once each.
    frames.await(proposal(first), WAIT);
    frames.await(proposal(second), WAIT);
    assertEquals(1, frames.count(proposal(first)), "never twice");
    assertEquals(1, frames.count(proposal(second)), "never twice");
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
            .id();
    proposer.close().await();
    AgentChatClient recipient = connect(bob);
    awaitOffline(recipient, alice);
    recipient.accept(id, null, null).await();
    recipient.close().await();

    // Alice comes back to an ACCEPT notice and her accepted proposal, both handed over at login.
    FrameLog frames = new FrameLog();
    AgentChatClient back = connectRecording(alice, frames);
    ServerFrame.Proposal next =
        back.propose(bob.agentId(), "build it", null, null, null, 900L, null, null).await();
    ServerFrame.Complete completed = back.complete(id, "https://example.test/pr/1").await();

    assertNotEquals(id, next.id());
    assertEquals("pending", next.status());
    assertEquals(id, completed.proposalId());
    assertEquals("@" + alice.agentId(), completed.completedBy());
    frames.await(f -> f instanceof ServerFrame.Accept a && a.proposalId().equals(id), WAIT);
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
    ServerFrame.Proposals listed = client.listProposals(null, null).await();

    assertEquals("PROPOSAL_NOT_FOUND", refused.code());
    assertEquals("PROPOSALS", listed.type());
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

    ServerFrame.SkillsRegistered registered =
        registrant.registerSkills(JsonNodeFactory.instance.arrayNode().add(skill)).await();
    ServerFrame.SearchResults found =
        connect(null)
            .searchSkills(JsonNodeFactory.instance.objectNode().put("capability", "HAIKU"))
            .await();

    assertEquals("@" + carol.agentId(), registered.agentId());
    assertEquals(1, registered.skillsCount());
    assertEquals(1, found.results().size(), found.toString());
    assertEquals(2.5, found.results().get(0).path("rate").doubleValue());
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
  void aProposalToAnEphemeralAgentIdFailsWithAgentNotFound() {
    AgentChatClient client = connect(introduced("alice"));

    AgentChatException refused =
        assertThrows(
            AgentChatException.class,
            () -> client.propose("@ab12cd34", "task", null, null, null, 60L, null, null).await());

    assertEquals("AGENT_NOT_FOUND", refused.code());
    assertEquals("Agent @ab12cd34 not found", refused.getMessage());
  }
}
