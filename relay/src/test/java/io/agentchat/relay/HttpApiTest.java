package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The relay serves the HTTP API under /v1/: it hands over method, path, query and body, writes the
 * API's answer, refuses bodies over the limit with 413, and turns a failed answer into a 500 that
 * does not reveal the cause.
 */
class HttpApiTest {
  /** Echoes what it got, fails on /v1/fail. */
  private static final HttpApi ECHO =
      q -> {
        if (q.path().equals("/v1/fail")) {
          return Future.failedFuture(new IllegalStateException("secret cause"));
        }
        if (q.path().equals("/v1/missing")) {
          return Future.succeededFuture(HttpAnswer.error(404, "No agent @x"));
        }
        return Future.succeededFuture(
            HttpAnswer.ok(
                new JsonObject()
                    .put("method", q.method())
                    .put("path", q.path())
                    .put("limit", q.param("limit"))
                    .put("body_bytes", q.body().length)
                    .encode()));
      };

  private record Reply(int status, String contentType, String body) {}

  private static Reply call(TestRelay relay, HttpMethod method, String uri, Buffer body) {
    HttpClient http = relay.vertx.createHttpClient();
    return Await.result(
        http.request(method, relay.port(), "127.0.0.1", uri)
            .compose(req -> body == null ? req.send() : req.send(body))
            .compose(
                resp ->
                    resp.body()
                        .map(
                            b ->
                                new Reply(
                                    resp.statusCode(),
                                    resp.getHeader("content-type"),
                                    b.toString()))),
        method + " " + uri);
  }

  @Test
  void theApiGetsTheRequestAndItsAnswerIsWritten() {
    try (TestRelay relay = TestRelay.start(new RelayOptions().httpApi(ECHO))) {
      Reply got = call(relay, HttpMethod.GET, "/v1/agents/abc?limit=5&limit=6", null);
      assertEquals(200, got.status());
      assertEquals("application/json", got.contentType());
      JsonObject echo = new JsonObject(got.body());
      assertEquals("GET", echo.getString("method"));
      assertEquals("/v1/agents/abc", echo.getString("path"));
      assertEquals("5", echo.getString("limit"), "the first value of a repeated parameter");

      Reply posted = call(relay, HttpMethod.POST, "/v1/import", Buffer.buffer("x".repeat(1000)));
      assertEquals(1000, new JsonObject(posted.body()).getInteger("body_bytes"));

      Reply missing = call(relay, HttpMethod.GET, "/v1/missing", null);
      assertEquals(404, missing.status());
      assertEquals("No agent @x", new JsonObject(missing.body()).getString("error"));
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() {
    try (TestRelay relay = TestRelay.start(new RelayOptions().httpApi(ECHO).maxApiBodyBytes(100))) {
      Reply refused = call(relay, HttpMethod.POST, "/v1/import", Buffer.buffer("y".repeat(101)));
      assertEquals(413, refused.status());
      assertEquals(413, new JsonObject(refused.body()).getInteger("status"));
      Reply fits = call(relay, HttpMethod.POST, "/v1/import", Buffer.buffer("y".repeat(100)));
      assertEquals(200, fits.status());
    }
  }

  @Test
  void aFailedAnswerIsA500WithoutItsCause() {
    try (TestRelay relay = TestRelay.start(new RelayOptions().httpApi(ECHO))) {
      Reply failed = call(relay, HttpMethod.GET, "/v1/fail", null);
      assertEquals(500, failed.status());
      assertEquals(
          "The server could not answer; try again later",
          new JsonObject(failed.body()).getString("error"));
    }
  }

  @Test
  void withoutAnApiV1PathsAreNotFound() {
    try (TestRelay relay = TestRelay.start(new RelayOptions())) {
      Reply missing = call(relay, HttpMethod.GET, "/v1/server", null);
      assertEquals(404, missing.status());
      assertEquals("Not Found", new JsonObject(missing.body()).getString("error"));
    }
  }
}
