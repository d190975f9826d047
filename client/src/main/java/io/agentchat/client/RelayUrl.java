package io.agentchat.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a relay listens, parsed from a {@code ws://} or {@code wss://} URL.
 *
 * @param tls true for {@code wss://}
 * @param host host name or address (IPv6 without brackets)
 * @param port explicit port, or 80 / 443 by scheme
 * @param path request path and query, {@code /} when the URL has none
 */
public record RelayUrl(boolean tls, String host, int port, String path) {

  /**
   * Parses a relay URL.
   *
   * @throws IllegalArgumentException with a message naming the problem when the text is not a
   *     {@code ws://} or {@code wss://} URL with a host
   */
  public static RelayUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("Server URL is empty (expected ws://host:port)");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid server URL " + url + " (expected ws://host:port)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls;
    if (scheme.equals("ws")) {
      tls = false;
    } else if (scheme.equals("wss")) {
      tls = true;
    } else {
      throw new IllegalArgumentException(
          "Invalid server URL " + url + " (must start with ws:// or wss://)");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("Invalid server URL " + url + " (no host)");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new RelayUrl(tls, host, port, path);
  }

  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "wss://" : "ws://") + h + ":" + port + (path.equals("/") ? "" : path);
  }
}
