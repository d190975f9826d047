package io.agentchat.marketplace.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Postgres process (zonky binaries) behind {@link Database}. All methods block: call
 * them through {@code vertx.executeBlocking}. Thread-safe.
 *
 * <p>A start first recovers from a JVM that died without stopping its Postgres ({@link
 * CrashRecovery}); a running server is watched by a {@link PostmasterWatchdog} that stops it if
 * this JVM dies.
 */
final class EmbeddedServer {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
  private static final String SUPERUSER = "postgres";
  private static final String DATABASE = "postgres";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final Path dataDirectory;
  private final Path binaryDirectory;
  private final Path watchdogLog;
  private final CrashRecovery recovery;
  private int port;
  private EmbeddedPostgres postgres;
  // Kept while Postgres runs: see PostmasterWatchdog.
  private PostmasterWatchdog watchdog;

  /**
   * @param dataDir the marketplace data directory: Postgres data goes to {@code pg}, binaries to
   *     {@code pg-bin} inside it
   * @param port a fixed port, or null to pick a free one at the first start (then kept)
   */
  EmbeddedServer(Path dataDir, Integer port) {
    Path root = dataDir.toAbsolutePath().normalize();
    this.dataDirectory = root.resolve("pg");
    this.binaryDirectory = root.resolve("pg-bin");
    this.watchdogLog = root.resolve("pg-watchdog.log");
    this.recovery = new CrashRecovery(dataDirectory, binaryDirectory);
    this.port = port == null ? 0 : port;
  }

  /** Starts Postgres (initdb on first use); the same port on every later start. */
  synchronized void start() {
    if (postgres != null) {
      return;
    }
    try {
      // Before the port check: an orphan may hold the very port we want.
      recovery.prepare();
    } catch (IOException e) {
      throw new DatabaseStartException(
          "Cannot start embedded Postgres in "
              + dataDirectory
              + ": cannot recover what an earlier run left there: "
              + reason(e),
          e);
    }
    try {
      if (port != 0) {
        requireFree(port);
      }
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binaryDirectory.toFile())
              .setPort(port)
              .setPGStartupWait(STARTUP_WAIT)
              // zonky starts Postgres with -F (fsync off) and synchronous_commit off, fine for
              // throwaway test databases; marketplace data must survive a power cut.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on");
      // Only read by initdb (first start): case mapping of lower() by Unicode rules whatever the
      // host's locale, as JavaScript's toLowerCase does in the reference.
      builder
          .setLocaleConfig("locale-provider", "builtin")
          .setLocaleConfig("builtin-locale", "C.UTF-8");
      postgres = builder.start();
      port = postgres.getPort();
      LOG.info("Embedded Postgres started in {} on port {}", dataDirectory, port);
      watch();
    } catch (IOException | RuntimeException e) {
      recovery.release();
      throw new DatabaseStartException(
          "Cannot start embedded Postgres in "
              + dataDirectory
              + ": "
              + reason(e)
              + " (Postgres's own output is logged at INFO by io.zonky.test.db.postgres.embedded)",
          e);
    }
  }

  /**
   * Stops Postgres (fast shutdown: open connections are cut), then its watchdog; a no-op when
   * stopped.
   */
  synchronized void stop() {
    EmbeddedPostgres running = postgres;
    postgres = null;
    if (running == null) {
      return;
    }
    try {
      running.close();
    } catch (IOException e) {
      LOG.warn("Could not stop embedded Postgres in {}", dataDirectory, e);
    }
    // Only now: should this JVM die during the stop, the watchdog finishes it.
    if (watchdog != null) {
      watchdog.detach();
      watchdog = null;
    }
    recovery.release();
  }

  /** Starts the watchdog of the postmaster zonky just started; without one, recovery covers. */
  private void watch() {
    Path lockFile = dataDirectory.resolve(CrashRecovery.LOCK_FILE);
    try {
      long pid = Long.parseLong(Files.readAllLines(lockFile).get(0).strip());
      Path executable =
          ProcessHandle.of(pid)
              .flatMap(p -> p.info().command())
              .map(Path::of)
              .orElseThrow(() -> new IOException("cannot see the executable of postgres " + pid));
      watchdog = PostmasterWatchdog.start(pid, lockFile, executable, watchdogLog).orElse(null);
      if (watchdog == null) {
        LOG.info(
            "No /bin/sh here: the embedded Postgres will outlive a JVM that is killed; the next"
                + " start stops it");
      }
    } catch (IOException | RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("event", "postgres_watchdog_unavailable")
          .addKeyValue("data_dir", dataDirectory.toString())
          .addKeyValue("error", String.valueOf(e))
          .log(
              "Cannot watch the embedded Postgres: if this JVM is killed, Postgres keeps running"
                  + " until the next start stops it");
    }
  }

  /** The superuser's address of the server's {@code postgres} database. */
  synchronized DatabaseAddress address() {
    return new DatabaseAddress("localhost", port, DATABASE, SUPERUSER, null);
  }

  /** For {@link Database#description()}. */
  synchronized String describe(String version) {
    return "embedded Postgres " + version + " at " + dataDirectory + " (port " + port + ")";
  }

  private static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IOException("port " + port + " is already in use", e);
    }
  }

  private static String reason(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !text.toString().contains(c.getMessage())) {
        text.append(": ").append(c.getMessage());
      }
    }
    return text.toString();
  }
}
