package io.agentchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.reputation.Recalculation;
import io.agentchat.reputation.receipts.ReceiptVerifier;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts carried from one server to others: the export verifies offline; a server that trusts the
 * issuer counts the receipts in its ratings (once: a second import finds duplicates); one that does
 * not keeps them as history only; a file altered by one byte is refused whole.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReceiptsImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void anExportVerifiesAndCountsWhereItsIssuerIsTrustedAndNowhereElse() throws Exception {
    try (ReputationServer issuer =
        ReputationServer.start(
            TestDatabases.emptyDatabaseUrl(), dir.resolve("issuer"), Duration.ZERO, List.of())) {
      Identity alice = Identity.generate("alice");
      Identity bob = Identity.generate("bob");
      AgentChatClient a = issuer.connect(alice);
      AgentChatClient b = issuer.connect(bob);
      for (int i = 0; i < 3; i++) {
        String id =
            a.propose("@" + bob.agentId(), "job " + i, null, null, null, null, null, null)
                .await()
                .id();
        b.accept(id, null, null).await();
        if (i == 2) {
          b.dispute(id, "late").await();
        } else {
          a.complete(id, null).await();
        }
      }
      a.close().await();
      b.close().await();

      HttpResponse<String> export =
          issuer.get("/v1/agents/@" + alice.agentId() + "/receipts?format=jsonl");
      assertEquals(200, export.statusCode(), export.body());
      Path file = dir.resolve("alice.jsonl");
      Files.writeString(file, export.body(), StandardCharsets.UTF_8);
      List<String> problems = new ArrayList<>();
      ReceiptVerifier.Report report =
          ReceiptVerifier.create()
              .expectingServer(serverKey(issuer))
              .verify(file, p -> problems.add(p.message()));
      assertEquals(List.of(), problems);
      assertEquals(3, report.receipts(), export.body());
      JsonNode alicesRating = JSON.readTree(issuer.get("/v1/agents/" + alice.agentId()).body());

      String issuerKey = issuer.reputation.server().publicKey();
      try (ReputationServer trusting =
              ReputationServer.start(
                  TestDatabases.emptyDatabaseUrl(),
                  dir.resolve("trusting"),
                  Duration.ZERO,
                  List.of(issuerKey));
          ReputationServer stranger =
              ReputationServer.start(
                  TestDatabases.emptyDatabaseUrl(),
                  dir.resolve("stranger"),
                  Duration.ZERO,
                  List.of())) {
        JsonNode counted =
            JSON.readTree(trusting.post("/v1/receipts/import", export.body()).body());
        assertEquals(3, counted.get("counted").asInt(), counted.toString());
        JsonNode there = JSON.readTree(trusting.get("/v1/agents/" + alice.agentId()).body());
        assertEquals(
            alicesRating.get("rating").asLong(),
            there.get("rating").asLong(),
            "fresh agents on both servers: the same deals give the same rating");
        // The second completion fell in the pair's cooldown: it counted nothing, here as there.
        assertEquals(2, there.get("transactions").asLong());
        Recalculation replay = trusting.reputation.recalculate().await(30, TimeUnit.SECONDS);
        assertEquals(List.of(), replay.differences(), "imported ratings replay too");

        JsonNode again = JSON.readTree(trusting.post("/v1/receipts/import", export.body()).body());
        assertEquals(3, again.get("duplicates").asInt(), "counted once");
        assertEquals(
            there.get("rating").asLong(),
            JSON.readTree(trusting.get("/v1/agents/" + alice.agentId()).body())
                .get("rating")
                .asLong());

        JsonNode kept = JSON.readTree(stranger.post("/v1/receipts/import", export.body()).body());
        assertEquals(3, kept.get("kept").asInt(), kept.toString());
        assertEquals(
            404,
            stranger.get("/v1/agents/" + alice.agentId()).statusCode(),
            "unattested history moves no rating");

        String tampered = export.body().replaceFirst("\"job 0\"", "\"job 9\"");
        assertTrue(!tampered.equals(export.body()));
        HttpResponse<String> refused = stranger.post("/v1/receipts/import", tampered);
        assertEquals(422, refused.statusCode(), refused.body());
        JsonNode body = JSON.readTree(refused.body());
        assertTrue(body.get("problems").size() > 0);
        assertTrue(body.get("error").asText().contains("nothing was imported"));
      }
    }
  }

  private static io.agentchat.identity.AgentKey serverKey(ReputationServer s) {
    return io.agentchat.identity.AgentKey.fromPem(s.reputation.server().publicKey());
  }
}
