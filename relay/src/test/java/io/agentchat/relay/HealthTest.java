package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** GET /health, other HTTP paths, and graceful shutdown. */
class HealthTest {

  @Test
  void healthReportsTheServerAndItsAgentsAsJson() {
    try (TestRelay relay = TestRelay.start(new RelayOptions().name("probe"));
        WireClient a = relay.ephemeral("counted")) {
      HttpClient http = relay.vertx.createHttpClient();
      JsonObject body =
          Await.result(
              http.request(HttpMethod.GET, relay.port(), "127.0.0.1", "/health")
                  .compose(req -> req.send())
                  .compose(
                      resp -> {
                        assertEquals(200, resp.statusCode());
                        assertEquals("application/json", resp.getHeader("content-type"));
                        return resp.body();
                      })
                  .map(b -> b.toJsonObject()),
              "GET /health");
      assertEquals("healthy", body.getString("status"));
      assertEquals("probe", body.getString("server"));
      assertEquals(1, body.getJsonObject("agents").getInteger("connected"));
      assertEquals(10, body.getJsonObject("channels").getInteger("total"));
      assertTrue(body.getLong("uptime_seconds") >= 0);
      JsonObject missing =
          Await.result(
              http.request(HttpMethod.GET, relay.port(), "127.0.0.1", "/nope")
                  .compose(req -> req.send())
                  .compose(
                      resp -> {
                        assertEquals(404, resp.statusCode());
                        return resp.body();
                      })
                  .map(b -> b.toJsonObject()),
              "GET /nope");
      assertEquals("Not Found", missing.getString("error"));
    }
  }

  @Test
  void closingTheServerSendsEveryClientACloseFrame() {
    TestRelay relay = TestRelay.start();
    try (WireClient a = relay.ephemeral("leaving");
        WireClient b = relay.connect()) {
      Await.result(relay.server.close(), "relay close");
      assertEquals(1001, a.awaitClose());
      assertEquals(1001, b.awaitClose());
    } finally {
      relay.close();
    }
  }
}
