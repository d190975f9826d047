package io.agentchat.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A request to a server's HTTP API failed: the server answered with an error status (its {@code
 * error} text is the message), or no answer came at all (connection refused, timeout; {@link
 * #status()} is 0). Created without a stack trace: the message is the whole story, one line fit to
 * show a user.
 */
public final class ServerApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The status of a failure that got no HTTP answer. */
  public static final int NO_ANSWER = 0;

  private final int status;
  private final transient JsonNode body;

  /**
   * Creates a failure.
   *
   * @param status the HTTP status, or {@link #NO_ANSWER}
   * @param message the server's error text, or what went wrong locally
   * @param body the answer's JSON body, or null
   */
  public ServerApiException(int status, String message, JsonNode body) {
    super(message, null, false, false);
    this.status = status;
    this.body = body;
  }

  /** The HTTP status (404 unknown, 400 bad parameter, 413 too large, …), or {@link #NO_ANSWER}. */
  public int status() {
    return status;
  }

  /** The error answer's JSON body, or null when there was none or it was not JSON. */
  public JsonNode body() {
    return body;
  }

  /**
   * The body's {@code problems}, one line each: why an import was refused (422). Empty for other
   * failures.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (body != null) {
      body.path("problems").forEach(p -> problems.add(p.asText()));
    }
    return problems;
  }
}
