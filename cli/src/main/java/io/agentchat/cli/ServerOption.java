package io.agentchat.cli;

import io.agentchat.client.ServerApi;
import io.agentchat.relay.RelayOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --server} and {@code --timeout} for the commands that read a server's HTTP API. The API is
 * served on the relay's own port, so the relay's {@code ws://} URL is enough.
 */
final class ServerOption {
  /** Where {@code agentchat serve} listens when told nothing else. */
  static final String LOCAL_SERVER =
      "ws://" + RelayOptions.DEFAULT_HOST + ":" + RelayOptions.DEFAULT_PORT;

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = LOCAL_SERVER,
      description =
          "The server's URL: its relay's ws://host:port or wss://host:port (the HTTP API is on"
              + " the same port), or http(s)://host:port. Default: the local server,"
              + " ${DEFAULT-VALUE}.")
  String url;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "How long connecting and the request may take (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** A client of the server; bad input when the URL or the timeout is unusable. */
  ServerApi api() {
    if (timeoutSeconds < 1) {
      throw CommandExit.badInput("--timeout must be at least 1 second");
    }
    try {
      return ServerApi.create(url, Duration.ofSeconds(timeoutSeconds));
    } catch (IllegalArgumentException e) {
      throw CommandExit.badInput(e.getMessage());
    }
  }
}
