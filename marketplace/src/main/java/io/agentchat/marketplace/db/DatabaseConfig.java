package io.agentchat.marketplace.db;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the marketplace keeps its data: an embedded Postgres under {@code dataDir} (the default),
 * or an external server when {@code externalUrl} is set.
 *
 * @param dataDir directory of the embedded server: its data lives in {@code <dataDir>/pg}, its
 *     unpacked binaries in {@code <dataDir>/pg-bin}; ignored when {@code externalUrl} is set
 * @param externalUrl {@code postgresql://user:password@host:port/database} (or the same with a
 *     {@code jdbc:} prefix), or null for the embedded server
 * @param embeddedPort fixed port of the embedded server, or null for a free port
 * @param poolSize maximum number of connections of the reactive pool
 */
public record DatabaseConfig(Path dataDir, String externalUrl, Integer embeddedPort, int poolSize) {

  /** Connections of the reactive pool unless configured otherwise. */
  public static final int DEFAULT_POOL_SIZE = 16;

  /** How long a pooled connection may sit in an open transaction doing nothing. */
  public static final int IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

  /** How long a pooled connection's statement may wait for a lock. */
  public static final int LOCK_TIMEOUT_MS = 10_000;

  /** How long logging in to the database may take when migrating, the connection included. */
  public static final int LOGIN_TIMEOUT_SECONDS = 10;

  /** How long opening one connection may take before it fails (reactive pool and Flyway). */
  public static final int CONNECT_TIMEOUT_MS = 5_000;

  /**
   * How often the pool retries opening a connection before a query fails. With {@link
   * #RECONNECT_INTERVAL_MS} this bounds how long a query waits for a database that is down, and
   * lets the pool pick up a restarted database without being recreated.
   */
  public static final int RECONNECT_ATTEMPTS = 2;

  /** Pause between two attempts to open a connection. */
  public static final long RECONNECT_INTERVAL_MS = 500;

  public DatabaseConfig {
    if (externalUrl == null) {
      Objects.requireNonNull(dataDir, "dataDir is required for the embedded database");
    }
    if (embeddedPort != null && (embeddedPort < 1 || embeddedPort > 65_535)) {
      throw new IllegalArgumentException("embeddedPort must be 1..65535, got " + embeddedPort);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
    }
  }

  /** An embedded Postgres keeping its data under {@code dataDir}, on a free port. */
  public static DatabaseConfig embedded(Path dataDir) {
    return new DatabaseConfig(dataDir, null, null, DEFAULT_POOL_SIZE);
  }

  /**
   * An external Postgres server at {@code url} ({@code postgresql://…} or {@code
   * jdbc:postgresql://…}).
   */
  public static DatabaseConfig external(String url) {
    return new DatabaseConfig(null, Objects.requireNonNull(url, "url"), null, DEFAULT_POOL_SIZE);
  }

  /** This configuration with another pool size. */
  public DatabaseConfig withPoolSize(int size) {
    return new DatabaseConfig(dataDir, externalUrl, embeddedPort, size);
  }

  /** This configuration with the embedded server on a fixed port. */
  public DatabaseConfig withEmbeddedPort(int port) {
    return new DatabaseConfig(dataDir, externalUrl, port, poolSize);
  }

  /** Whether this configuration runs an embedded server. */
  public boolean isEmbedded() {
    return externalUrl == null;
  }

  /** Never shows the password of the external URL. */
  @Override
  public String toString() {
    String where = isEmbedded() ? "embedded in " + dataDir : "external " + redacted(externalUrl);
    return "DatabaseConfig[" + where + ", port=" + embeddedPort + ", poolSize=" + poolSize + "]";
  }

  private static String redacted(String url) {
    try {
      return DatabaseAddress.parse(url).toString();
    } catch (IllegalArgumentException e) {
      return "(unparsable URL)";
    }
  }
}
