package io.agentchat.relay;

import io.vertx.core.Future;

/**
 * The server's public HTTP read API, served by the relay under {@link #PREFIX} on its HTTP port
 * beside {@code /health}: the relay parses the request (method, path, query, a body up to {@link
 * RelayOptions#maxApiBodyBytes()}, else 413) and writes the answer; what the API knows comes from
 * the parts behind it. A path the API does not know gets a 404 with a JSON body from it.
 */
@FunctionalInterface
public interface HttpApi {
  /** Requests whose path starts with this go to the API. */
  String PREFIX = "/v1/";

  /**
   * Answers one request. Called on an event loop: it must not block.
   *
   * @return a future completed with the answer; a failed future becomes a 500 with a JSON error
   *     that does not reveal the cause
   */
  Future<HttpAnswer> handle(HttpQuery query);
}
