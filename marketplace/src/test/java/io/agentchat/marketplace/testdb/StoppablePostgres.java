package io.agentchat.marketplace.testdb;

import io.agentchat.marketplace.db.DatabaseAddress;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A Postgres server of one test's own, which the test stops and starts again (same port, same data)
 * to see what the server does while its database is away. The server under test reaches it as an
 * external database. Methods block: call them from the test thread.
 */
public final class StoppablePostgres implements AutoCloseable {
  private final Path dataDir;
  private final Path binaries;
  private final int port;
  private EmbeddedPostgres postgres;

  private StoppablePostgres(Path dataDir, Path binaries, int port) {
    this.dataDir = dataDir;
    this.binaries = binaries;
    this.port = port;
  }

  /** Starts a server keeping its data in {@code dataDir}, on a free port kept across restarts. */
  public static StoppablePostgres start(Path dataDir) {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path binaries = Path.of("target").toAbsolutePath().resolve("pg-bin");
      StoppablePostgres server = new StoppablePostgres(dataDir, binaries, probe.getLocalPort());
      probe.close();
      server.resume();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server as an external database for {@code Database.start}. */
  public DatabaseConfig config() {
    return DatabaseConfig.external(
        new DatabaseAddress("localhost", port, "postgres", "postgres", null).toUrl());
  }

  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  public synchronized void pause() {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        postgres = null;
      }
    }
  }

  /** Starts the server again on the same port and data. */
  public synchronized void resume() {
    if (postgres != null) {
      return;
    }
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binaries.toFile())
              .setPort(port)
              .setLocaleConfig("locale-provider", "builtin")
              .setLocaleConfig("builtin-locale", "C.UTF-8")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    pause();
  }
}
