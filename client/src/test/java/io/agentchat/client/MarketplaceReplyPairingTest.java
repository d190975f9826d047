package io.agentchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.Identity;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How marketplace answers are paired with requests, against a scripted server that orders its
 * frames as our relay does (the answer after the PONG) or as the reference does (before it), and
 * pushes look-alike frames in between.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MarketplaceReplyPairingTest {
  private static final String ME = "@abcd1234abcd1234";
  private static final String PONG = "{\"type\":\"PONG\",\"ts\":3}";
  private static final String WELCOME =
      new JsonObject()
          .put("type", "WELCOME")
          .put("ts", 1)
          .put("agent_id", ME)
          .put("name", "alice")
          .put("server", "scripted")
          .put("disclaimer", "")
          .encode();

  /** Starts a server answering IDENTIFY with WELCOME and every other frame with {@code script}. */
  private static String serve(Vertx vertx, BiConsumer<ServerWebSocket, JsonObject> script) {
    HttpServer server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws ->
                    ws.textMessageHandler(
                        text -> {
                          JsonObject frame = new JsonObject(text);
                          if (frame.getString("type").equals("IDENTIFY")) {
                            ws.writeTextMessage(WELCOME);
                          } else {
                            script.accept(ws, frame);
                          }
                        }));
    return "ws://127.0.0.1:" + server.listen(0, "127.0.0.1").await().actualPort();
  }

  private static AgentChatClient connect(Vertx vertx, String url) {
    return AgentChatClient.connect(vertx, url, "alice", Identity.generate("alice")).await();
  }

  /** An ACCEPT frame; {@code sig} tells the copies apart. */
  private static JsonObject accept(String proposalId, String acceptor, String sig) {
    return new JsonObject()
        .put("type", "ACCEPT")
        .put("ts", 2)
        .put("proposal_id", proposalId)
        .put("status", "accepted")
        .put("from", "@0000000000000000")
        .put("to", acceptor)
        .put("sig", sig);
  }

  @Test
  void anAnswerAfterThePongCompletesTheRequestAndPushedLookAlikesDoNot(Vertx vertx) {
    String url =
        serve(
            vertx,
            (ws, frame) -> {
              if (frame.getString("type").equals("PING")) {
                ws.writeTextMessage(PONG);
                // A notice about someone else accepting the same proposal id, then the real answer.
                ws.writeTextMessage(accept("prop_1", "@ffffffffffffffff", "pushed").encode());
                ws.writeTextMessage(accept("prop_1", ME, "answer").encode());
              }
            });

    ServerFrame.Accept answer = connect(vertx, url).accept("prop_1", null, null).await();

    assertEquals("answer", answer.sig());
  }

  @Test
  void anAnswerBeforeThePongAsTheReferenceSendsItCompletesTheRequest(Vertx vertx) {
    String url =
        serve(
            vertx,
            (ws, frame) -> {
              if (frame.getString("type").equals("ACCEPT")) {
                ws.writeTextMessage(accept(frame.getString("proposal_id"), ME, "answer").encode());
              } else if (frame.getString("type").equals("PING")) {
                ws.writeTextMessage(PONG);
              }
            });

    ServerFrame.Accept answer = connect(vertx, url).accept("prop_2", "pay-me", 3L).await();

    assertEquals("prop_2", answer.proposalId());
  }

  @Test
  void aPushedCopyOfAnEarlierProposalWithTheSameSignatureIsNotTakenForTheEcho(Vertx vertx) {
    AtomicReference<JsonObject> sent = new AtomicReference<>();
    String url =
        serve(
            vertx,
            (ws, frame) -> {
              if (frame.getString("type").equals("PROPOSAL")) {
                sent.set(frame);
              } else if (frame.getString("type").equals("PING")) {
                JsonObject p = sent.get();
                JsonObject copy =
                    new JsonObject()
                        .put("type", "PROPOSAL")
                        .put("ts", 2)
                        .put("from", ME)
                        .put("to", p.getString("to"))
                        .put("task", p.getString("task"))
                        .put("sig", p.getString("sig"));
                ws.writeTextMessage(PONG);
                ws.writeTextMessage(
                    copy.copy().put("id", "prop_old").put("status", "accepted").encode());
                ws.writeTextMessage(
                    copy.copy().put("id", "prop_new").put("status", "pending").encode());
              }
            });

    ServerFrame.Proposal echo =
        connect(vertx, url)
            .propose("ffffffffffffffff", "build it", null, null, null, 300L, null, null)
            .await();

    assertEquals("prop_new", echo.id());
  }

  @Test
  void anErrorAfterThePongFailsTheMarketplaceRequestAndNotTheNextOne(Vertx vertx) {
    AtomicReference<String> last = new AtomicReference<>("");
    String url =
        serve(
            vertx,
            (ws, frame) -> {
              switch (frame.getString("type")) {
                case "PING" -> {
                  ws.writeTextMessage(PONG);
                  if (last.get().equals("COMPLETE")) {
                    // As our relay does: the marketplace's refusal comes after the PING was
                    // answered.
                    ws.writeTextMessage(
                        new JsonObject()
                            .put("type", "ERROR")
                            .put("ts", 2)
                            .put("code", "INVALID_PROPOSAL")
                            .put("message", "PROPOSAL_NOT_ACCEPTED")
                            .encode());
                  }
                }
                case "LIST_CHANNELS" ->
                    ws.writeTextMessage("{\"type\":\"CHANNELS\",\"ts\":4,\"list\":[]}");
                default -> {}
              }
              if (!frame.getString("type").equals("PING")) {
                last.set(frame.getString("type"));
              }
            });
    AgentChatClient client = connect(vertx, url);

    AgentChatException refused =
        assertThrows(AgentChatException.class, () -> client.complete("prop_3", null).await());

    assertEquals("INVALID_PROPOSAL", refused.code());
    assertTrue(client.listChannels().await().isEmpty());
  }
}
