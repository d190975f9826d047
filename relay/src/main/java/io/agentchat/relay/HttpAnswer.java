package io.agentchat.relay;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What the {@link HttpApi} answers.
 *
 * @param status HTTP status
 * @param contentType the body's media type
 * @param body the body text
 */
public record HttpAnswer(int status, String contentType, String body) {
  /** JSON, for every answer but exported receipt files. */
  public static final String JSON = "application/json";

  public HttpAnswer {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** A JSON answer. */
  public static HttpAnswer json(int status, String json) {
    return new HttpAnswer(status, JSON, json);
  }

  /** 200 with a JSON body. */
  public static HttpAnswer ok(String json) {
    return json(200, json);
  }

  /** An error: {@code {"error": message, "status": status}}. */
  public static HttpAnswer error(int status, String message) {
    return json(status, new JsonObject().put("error", message).put("status", status).encode());
  }
}
