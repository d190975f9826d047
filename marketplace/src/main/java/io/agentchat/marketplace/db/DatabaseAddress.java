package io.agentchat.marketplace.db;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A Postgres server and database with the credentials to use it, parsed from a URL.
 *
 * <p>{@link #toString()} never shows the password; {@link #toUrl()} does (it is for handing the
 * address to another component, never for logs).
 *
 * @param host host name or IP literal (without brackets)
 * @param port TCP port
 * @param database database name
 * @param user user name
 * @param password password, or null
 */
public record DatabaseAddress(
    String host, int port, String database, String user, String password) {

  /** The default port of Postgres. */
  public static final int DEFAULT_PORT = 5432;

  private static final String DEFAULT_USER = "postgres";

  public DatabaseAddress {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }

  /**
   * Parses {@code postgresql://user:password@host:port/database} ({@code postgres://} and a {@code
   * jdbc:} prefix are accepted too; {@code ?user=…&password=…} may replace the user info). Port
   * defaults to 5432, user to {@code postgres}, database to the user name.
   *
   * @throws IllegalArgumentException naming what is wrong with the URL (never its password)
   */
  public static DatabaseAddress parse(String url) {
    Objects.requireNonNull(url, "url");
    String text = url.strip();
    if (text.startsWith("jdbc:")) {
      text = text.substring("jdbc:".length());
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Not a postgresql:// URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "Database URL must start with postgresql:// or jdbc:postgresql://");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("Database URL has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : percentDecode(userInfo.substring(colon + 1));
    }
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
        switch (key) {
          case "user" -> user = value;
          case "password" -> password = value;
          default ->
              throw new IllegalArgumentException(
                  "Unsupported parameter in database URL: " + key + " (supported: user, password)");
        }
      }
    }
    if (user == null || user.isEmpty()) {
      user = DEFAULT_USER;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = percentDecode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty()) {
      database = user;
    }
    return new DatabaseAddress(host, port, database, user, password);
  }

  /** The same server and credentials, another database. */
  public DatabaseAddress withDatabase(String otherDatabase) {
    return new DatabaseAddress(host, port, otherDatabase, user, password);
  }

  /** {@code host:port}, with brackets around an IPv6 literal. */
  public String hostAndPort() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** JDBC URL without credentials (they are passed separately), with a connect timeout. */
  public String jdbcUrl() {
    return "jdbc:postgresql://"
        + hostAndPort()
        + "/"
        + encode(database)
        + "?connectTimeout="
        + Math.max(1, DatabaseConfig.CONNECT_TIMEOUT_MS / 1000)
        // A server that accepts the connection but never answers must not hold a start forever.
        + "&loginTimeout="
        + DatabaseConfig.LOGIN_TIMEOUT_SECONDS;
  }

  /**
   * The full URL, password included: for handing to {@link DatabaseConfig#external}, not for logs.
   */
  public String toUrl() {
    String credentials = encode(user) + (password == null ? "" : ":" + encode(password));
    return "postgresql://" + credentials + "@" + hostAndPort() + "/" + encode(database);
  }

  /** {@code postgresql://user@host:port/database}: the password is never shown. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + hostAndPort() + "/" + database;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      int next = text.indexOf('%', i);
      if (next < 0) {
        next = text.length();
      }
      bytes.writeBytes(text.substring(i, next).getBytes(StandardCharsets.UTF_8));
      i = next;
      if (i < text.length()) {
        if (!isHex(text, i + 1) || !isHex(text, i + 2)) {
          throw new IllegalArgumentException("Bad percent-encoding in database URL");
        }
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String text, int index) {
    return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
  }
}
