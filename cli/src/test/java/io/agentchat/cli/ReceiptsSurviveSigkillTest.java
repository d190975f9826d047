package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.identity.Identity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} killed with SIGKILL in the middle of a burst of completions: after a restart on the
 * same data directory, every completion the server acknowledged has its receipt, the agent's chain
 * holds exactly the completed deals, and its rating is the one the receipts give.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReceiptsSurviveSigkillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int DEALS = 80;

  @TempDir Path dir;
  private final List<ServeProcess> servers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (ServeProcess server : servers) {
      server.close();
    }
  }

  private ServeProcess serve(Path data, String logName) throws Exception {
    ServeProcess server =
        ServeProcess.start(
            data,
            dir.resolve(logName),
            "--min-proposal-age",
            "0",
            "--dispute-window",
            "0",
            "--frame-limit",
            "100000");
    servers.add(server);
    return server;
  }

  @Test
  void everyAcknowledgedCompletionKeepsItsReceiptAcrossASigkill() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    ServeProcess first = serve(data, "first.log");
    String url = first.url(WAIT);
    Identity alice = Identity.generate("alice");
    Identity bob = Identity.generate("bob");
    AgentChatClient a = AgentChatClient.connect(url, "alice", alice).await(30, TimeUnit.SECONDS);
    AgentChatClient b = AgentChatClient.connect(url, "bob", bob).await(30, TimeUnit.SECONDS);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < DEALS; i++) {
      String id =
          a.propose("@" + bob.agentId(), "job " + i, null, null, null, null, null, null)
              .await(10, TimeUnit.SECONDS)
              .id();
      b.accept(id, null, null).await(10, TimeUnit.SECONDS);
      ids.add(id);
    }

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    CountDownLatch enough = new CountDownLatch(DEALS / 4);
    for (String id : ids) {
      a.complete(id, null)
          .onSuccess(
              done -> {
                acknowledged.add(id);
                enough.countDown();
              });
    }
    assertTrue(enough.await(60, TimeUnit.SECONDS), "a quarter acknowledged");
    first.sigkill();
    assertTrue(first.awaitExit(Duration.ofSeconds(30)));
    Set<String> acked = new HashSet<>(acknowledged);

    ServeProcess second = serve(data, "second.log");
    String url2 = second.url(WAIT);
    JsonNode proposals = get(url2, "/v1/agents/" + alice.agentId());
    List<JsonNode> chain = new ArrayList<>();
    String jsonl = getText(url2, "/v1/agents/" + alice.agentId() + "/receipts?format=jsonl");
    for (String line : jsonl.split("\n")) {
      chain.add(JSON.readTree(line));
    }
    JsonNode head = chain.remove(chain.size() - 1);
    Set<String> receipted = new HashSet<>();
    chain.forEach(r -> receipted.add(r.get("proposal_id").asText()));
    assertTrue(
        receipted.containsAll(acked),
        "every acknowledged completion has its receipt: missing "
            + acked.stream().filter(id -> !receipted.contains(id)).toList());
    assertEquals(chain.size(), head.get("count").asInt());
    assertEquals(receipted.size(), chain.size(), "one receipt per deal");

    AgentChatClient again =
        AgentChatClient.connect(url2, "alice", alice).await(30, TimeUnit.SECONDS);
    long completed =
        again.listProposals("completed", 500).await(10, TimeUnit.SECONDS).list().size();
    assertEquals(completed, chain.size(), "exactly the completed deals have receipts");
    JsonNode last = chain.get(chain.size() - 1).get("rating_changes").get("@" + alice.agentId());
    assertEquals(last.get("newRating").asLong(), proposals.get("rating").asLong());
    again.close().await(10, TimeUnit.SECONDS);
  }

  private static JsonNode get(String wsUrl, String path) throws Exception {
    return JSON.readTree(getText(wsUrl, path));
  }

  /** GET, waiting (bounded) while the restarted marketplace still answers 503. */
  private static String getText(String wsUrl, String path) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(wsUrl.replace("ws://", "http://") + path))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 503 || System.nanoTime() > deadline) {
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
      }
      Thread.sleep(100);
    }
  }
}
