package io.agentchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.client.AgentChatClient;
import io.agentchat.client.LocalMarketplace;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.relay.RelayOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The assembled server: ready means every part is ready, and /health shows each part. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentChatServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private record Health(int status, JsonObject body) {}

  private Health health(String wsUrl) throws Exception {
    URI uri = URI.create(wsUrl.replace("ws://", "http://") + "/health");
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    return new Health(response.statusCode(), new JsonObject(response.body()));
  }

  @Test
  void healthSaysStartingUntilTheDatabaseAnswersAndUnavailableWhenItCannot() throws Exception {
    // A "database" that accepts connections and never answers: the start hangs until the login
    // timeout, so the server is reliably still starting when asked.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Vertx vertx = Vertx.vertx();
      AgentChatServer server =
          AgentChatServer.start(
                  vertx,
                  ServerConfig.of(
                      new RelayOptions().port(0).eventLoops(1),
                      DatabaseConfig.external(
                          "postgresql://u:pw@127.0.0.1:" + silent.getLocalPort() + "/db"),
                      new MarketplaceOptions()))
              .await(30, TimeUnit.SECONDS);
      try {
        Health starting = health(server.url());
        assertEquals(503, starting.status(), starting.body().encode());
        assertEquals("starting", starting.body().getString("status"));
        JsonObject parts = starting.body().getJsonObject("parts");
        assertEquals("ready", parts.getJsonObject("relay").getString("state"));
        assertEquals("starting", parts.getJsonObject("database").getString("state"));
        assertEquals("starting", parts.getJsonObject("marketplace").getString("state"));

        server.firstAttempt().await(60, TimeUnit.SECONDS);
        Health failed = health(server.url());
        assertEquals(503, failed.status());
        assertEquals("unavailable", failed.body().getString("status"));
        String detail =
            failed.body().getJsonObject("parts").getJsonObject("database").getString("detail");
        assertTrue(detail.contains("127.0.0.1:" + silent.getLocalPort()), detail);
        assertTrue(detail.endsWith("(retrying)"), detail);
        assertTrue(!detail.contains("pw@"), detail);
      } finally {
        server.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void aReadyServerIsHealthyAndCountsProposalsAsTheReferenceDoes(@TempDir Path dir)
      throws Exception {
    try (LocalMarketplace market = LocalMarketplace.start(dir.resolve("data"))) {
      Identity alice = LocalMarketplace.newIdentity(dir, "alice");
      Identity bob = Identity.generate("bob");
      Vertx vertx = Vertx.vertx();
      try {
        AgentChatClient client =
            AgentChatClient.connect(vertx, market.url(), "alice", alice).await();
        client.propose("@" + bob.agentId(), "count me", null, null, null, 60L, null, null).await();
        client.close().await();
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
      Health ready = health(market.url());
      assertEquals(200, ready.status(), ready.body().encode());
      assertEquals("healthy", ready.body().getString("status"));
      JsonObject parts = ready.body().getJsonObject("parts");
      for (String part : List.of("relay", "database", "marketplace")) {
        assertEquals("ready", parts.getJsonObject(part).getString("state"), part);
      }
      assertTrue(
          parts.getJsonObject("database").getString("detail").startsWith("embedded Postgres "),
          parts.encode());
      JsonObject proposals = ready.body().getJsonObject("proposals");
      assertEquals(1, proposals.getInteger("total"), proposals.encode());
      assertEquals(
          new JsonObject()
              .put("pending", 1)
              .put("accepted", 0)
              .put("rejected", 0)
              .put("completed", 0)
              .put("disputed", 0)
              .put("expired", 0),
          proposals.getJsonObject("byStatus"));
      assertEquals(2, proposals.getInteger("agents"));
    }
  }
}
