package io.agentchat.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.identity.AgentIds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A blocking client of a server's public HTTP API (SPEC.md, "HTTP API"): the server's identity,
 * agents' standings and receipts, the leaderboard, the ratings replay and receipt imports. The API
 * listens on the relay's own port, so the relay's {@code ws://} or {@code wss://} URL works as well
 * as an {@code http://} or {@code https://} one.
 *
 * <p>Every call blocks until the answer is read, bounded by the client's timeout, and fails with a
 * {@link ServerApiException}: the server's error text for an error status, or a one-line message
 * naming the URL when no answer came. Immutable and thread-safe.
 */
public final class ServerApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two layouts of a receipts export the server writes. */
  public enum ExportFormat {
    /** One receipt per line, then the signed HEAD line: the export file as is. */
    JSONL,
    /** One document, {@code {"receipts":[…],"head":{…}}}. */
    JSON
  }

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  private ServerApi(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * A client of the server at {@code url}.
   *
   * @param url {@code http://}, {@code https://}, {@code ws://} (read as http) or {@code wss://}
   *     (read as https), with a host; a path is kept as the prefix of the API's paths
   * @param timeout how long connecting and each request may take
   * @throws IllegalArgumentException with a one-line message when the URL is not usable
   */
  public static ServerApi create(String url, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive: " + timeout);
    }
    return new ServerApi(httpBase(url), timeout);
  }

  /**
   * The HTTP address of a server given by any of its URLs: {@code ws://host:port} becomes {@code
   * http://host:port}, {@code wss://} becomes {@code https://}; no trailing slash.
   *
   * @throws IllegalArgumentException with a one-line message when the URL is not usable
   */
  public static URI httpBase(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("Server URL is empty (expected ws://host:port)");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid server URL " + url + " (expected ws://host:port or http://host:port)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String http =
        switch (scheme) {
          case "http", "ws" -> "http";
          case "https", "wss" -> "https";
          default ->
              throw new IllegalArgumentException(
                  "Invalid server URL "
                      + url
                      + " (must start with ws://, wss://, http:// or https://)");
        };
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("Invalid server URL " + url + " (no host)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "Invalid server URL " + url + " (no user, query or fragment expected)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      return new URI(http + "://" + uri.getRawAuthority() + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid server URL " + url + " (" + e.getReason() + ")");
    }
  }

  /** The server's HTTP address, as requests are sent to it. */
  public URI base() {
    return base;
  }

  /** {@code GET /v1/server}: the server's id, name and public key (PEM). */
  public JsonNode server() {
    return json(get("/v1/server"));
  }

  /**
   * {@code GET /v1/agents/{id}}: an agent's rating, transactions, stake, receipts, per-capability
   * ratings, skills and presence.
   *
   * @param agentId the agent's id, with or without the {@code @}
   * @throws ServerApiException with status 404 when the server does not know the agent
   */
  public JsonNode agent(String agentId) {
    return json(get("/v1/agents/" + segment(agentId)));
  }

  /**
   * {@code GET /v1/currencies}: the currency adapters the server runs ({@code adapters}, each with
   * its name, kind and codes) and every code it accepts ({@code codes}).
   */
  public JsonNode currencies() {
    return json(get("/v1/currencies"));
  }

  /**
   * {@code GET /v1/agents/{id}/balances}: an agent's ledger balances ({@code balances}: currency,
   * balance, held, available, each a decimal string).
   *
   * @param agentId the agent's id, with or without the {@code @}
   * @throws ServerApiException with status 404 when the server does not know the agent or keeps no
   *     balances
   */
  public JsonNode balances(String agentId) {
    return json(get("/v1/agents/" + segment(agentId) + "/balances"));
  }

  /** {@code GET /v1/leaderboard?limit=N}: the {@code limit} best rated agents, best first. */
  public JsonNode leaderboard(int limit) {
    return json(get("/v1/leaderboard?limit=" + limit));
  }

  /**
   * {@code GET /v1/ratings/replay}: every counted receipt replayed and compared with the stored
   * ratings ({@code receipts}, {@code matches}, {@code differences}, {@code ratings}).
   */
  public JsonNode replayRatings() {
    return json(get("/v1/ratings/replay"));
  }

  /**
   * {@code GET /v1/agents/{id}/receipts}: an agent's receipt chain on the server, as the server
   * wrote it (verifiable in either format).
   *
   * @param agentId the agent's id, with or without the {@code @}
   * @throws ServerApiException with status 404 when the server holds no receipts of the agent
   */
  public String exportReceipts(String agentId, ExportFormat format) {
    String query = format == ExportFormat.JSONL ? "?format=jsonl" : "?format=json";
    return get("/v1/agents/" + segment(agentId) + "/receipts" + query).body();
  }

  /**
   * {@code POST /v1/receipts/import} with a file as the body: the server verifies it whole and
   * answers {@code counted}, {@code kept}, {@code duplicates} and one line per receipt.
   *
   * @throws ServerApiException with status 422 and the {@link ServerApiException#problems()} when
   *     the server refuses the file, 413 when it is larger than the server takes
   * @throws UncheckedIOException when the file cannot be read
   */
  public JsonNode importReceipts(Path file) {
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
    return json(send(request("/v1/receipts/import").POST(body).build()));
  }

  private HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("accept", "application/json, application/x-ndjson");
  }

  private HttpResponse<String> send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw noAnswer("Cannot connect to " + base + " within " + seconds());
    } catch (HttpTimeoutException e) {
      throw noAnswer("No answer from " + base + " within " + seconds());
    } catch (ConnectException e) {
      throw noAnswer("Cannot connect to " + base + " (connection refused)");
    } catch (IOException e) {
      throw noAnswer(
          "Cannot reach " + base + " (" + (e.getMessage() == null ? e : e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw noAnswer("Interrupted while waiting for " + base);
    }
    if (response.statusCode() / 100 != 2) {
      throw refusal(request, response);
    }
    return response;
  }

  /** An error status as a failure carrying the server's own words. */
  private static ServerApiException refusal(HttpRequest request, HttpResponse<String> response) {
    JsonNode body = null;
    try {
      body = JSON.readTree(response.body());
    } catch (JsonProcessingException notJson) {
      // A proxy's HTML page, say: the status alone has to do.
    }
    String error =
        body != null && body.path("error").isTextual()
            ? body.get("error").asText()
            : "HTTP " + response.statusCode() + " from " + request.method() + " " + request.uri();
    return new ServerApiException(response.statusCode(), error, body);
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new ServerApiException(
          response.statusCode(),
          "The answer of " + response.request().uri() + " is not JSON",
          null);
    }
  }

  private static ServerApiException noAnswer(String message) {
    return new ServerApiException(ServerApiException.NO_ANSWER, message, null);
  }

  private String seconds() {
    long s = timeout.toSeconds();
    return s >= 1 ? s + (s == 1 ? " second" : " seconds") : timeout.toMillis() + " ms";
  }

  private static String segment(String agentId) {
    return URLEncoder.encode(AgentIds.bare(agentId), StandardCharsets.UTF_8).replace("+", "%20");
  }
}
