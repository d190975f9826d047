package io.agentchat.relay;

import java.util.Map;
import java.util.Objects;

/**
 * A request to the {@link HttpApi}.
 *
 * @param method {@code GET}, {@code POST}, …
 * @param path the decoded path, starting with {@link HttpApi#PREFIX}
 * @param params query parameters, the first value of each
 * @param body the request body (empty for none)
 */
public record HttpQuery(String method, String path, Map<String, String> params, byte[] body) {
  public HttpQuery {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    params = params == null ? Map.of() : Map.copyOf(params);
    body = body == null ? new byte[0] : body;
  }

  /** A query parameter, or null when absent. */
  public String param(String name) {
    return params.get(name);
  }
}
