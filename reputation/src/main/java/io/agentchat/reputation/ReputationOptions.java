package io.agentchat.reputation;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the reputation plug-in runs.
 *
 * @param dataDir where the server's own key lives ({@code server-identity.json}), created on first
 *     start
 * @param serverName the name the server's key carries, shown by {@code GET /v1/server}
 * @param trustedServers public keys (PEM) of servers whose receipts an import counts in ratings;
 *     receipts of any other server are kept as unattested history
 */
public record ReputationOptions(Path dataDir, String serverName, List<String> trustedServers) {
  public ReputationOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    serverName = serverName == null || serverName.isBlank() ? "agentchat" : serverName;
    trustedServers = trustedServers == null ? List.of() : List.copyOf(trustedServers);
  }
}
