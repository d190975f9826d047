package io.agentchat.cli;

import io.agentchat.client.AgentChatClient;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.server.ReputationServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An agent with an identity file of its own, logged in to a {@link ReputationServer}, that makes
 * deals for the reputation commands' tests and hears when a dispute's window settles it.
 */
final class TradingAgent implements AutoCloseable {
  final Identity identity;
  final Path identityFile;
  final AgentChatClient client;
  private final Map<String, CompletableFuture<ServerFrame.Dispute>> settled =
      new ConcurrentHashMap<>();

  private TradingAgent(Identity identity, Path identityFile, ReputationServer server) {
    this.identity = identity;
    this.identityFile = identityFile;
    this.client =
        AgentChatClient.connect(
                server.vertx,
                server.url(),
                identity.name(),
                identity,
                Duration.ofSeconds(20),
                c -> c.frameHandler(this::onFrame))
            .await();
  }

  /** Creates the agent's identity file under {@code dir} and logs it in. */
  static TradingAgent join(ReputationServer server, Path dir, String name) throws Exception {
    Identity identity = Identity.generate(name);
    Path file = Files.createDirectories(dir.resolve(name)).resolve("identity.json");
    identity.save(file);
    return new TradingAgent(identity, file, server);
  }

  /** {@code @} + the agent's id. */
  String id() {
    return "@" + identity.agentId();
  }

  /**
   * Proposes a deal to {@code other}, which accepts it; returns the proposal id.
   *
   * @param amount the amount, or null
   * @param capability the capability it is about, or null
   * @param stake this agent's stake, or null
   * @param otherStake the acceptor's stake, or null
   */
  String agree(
      TradingAgent other, BigDecimal amount, String capability, Long stake, Long otherStake) {
    String id =
        client
            .propose(
                other.id(),
                "task " + System.nanoTime(),
                amount,
                amount == null ? null : "TEST",
                null,
                null,
                null,
                stake,
                capability)
            .await()
            .id();
    other.client.accept(id, null, otherStake).await();
    return id;
  }

  /** Waits for the DISPUTE frame that settles {@code proposalId} once its window closes. */
  ServerFrame.Dispute awaitSettled(String proposalId) throws Exception {
    return settledFuture(proposalId).get(60, TimeUnit.SECONDS);
  }

  private void onFrame(ServerFrame frame) {
    if (frame instanceof ServerFrame.Dispute d
        && d.settlement() != null
        && !"pending".equals(d.settlement())) {
      settledFuture(d.proposalId()).complete(d);
    }
  }

  private CompletableFuture<ServerFrame.Dispute> settledFuture(String proposalId) {
    return settled.computeIfAbsent(proposalId, id -> new CompletableFuture<>());
  }

  @Override
  public void close() {
    client.close().await();
  }
}
