package io.agentchat.marketplace.testdb;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.db.DatabaseAddress;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.spi.Schema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Postgres for tests: one server per test JVM, a fresh database per caller.
 *
 * <p>The server is, in order of preference: the one in {@code AGENTCHAT_TEST_DB_URL} (a {@code
 * postgresql://user:password@host:port/db} URL of a user allowed to create databases), a
 * Testcontainers {@code postgres:17} when {@code AGENTCHAT_TEST_DB=docker} and a Docker engine is
 * reachable, else an embedded Postgres (zonky) started on first use and stopped by a shutdown hook;
 * if the embedded one cannot start and Docker is reachable, Testcontainers.
 *
 * <p>Methods block (JDBC): call them from the test thread, e.g. in {@code @BeforeAll}, never on an
 * event loop. Thread-safe.
 */
public final class TestDatabases {
  /** Environment variable naming an external server for the tests. */
  public static final String URL_ENV = "AGENTCHAT_TEST_DB_URL";

  /** Environment variable choosing the server kind: {@code docker} prefers Testcontainers. */
  public static final String KIND_ENV = "AGENTCHAT_TEST_DB";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static DatabaseAddress admin;
  private static String serverDescription;
  private static final List<String> created = new ArrayList<>();

  private TestDatabases() {}

  /** URL of a new, empty database with the marketplace schema migrated in. */
  public static String freshDatabaseUrl() {
    return freshDatabaseUrl(List.of(Marketplace.SCHEMA));
  }

  /** URL of a new, empty database with these schemas migrated in, in order. */
  public static String freshDatabaseUrl(List<Schema> schemas) {
    DatabaseAddress fresh = createDatabase();
    Database.migrate(fresh, schemas);
    return fresh.toUrl();
  }

  /** URL of a new database with nothing in it, not even the schema. */
  public static String emptyDatabaseUrl() {
    return createDatabase().toUrl();
  }

  /** A configuration for {@link Database#start} on a fresh, migrated database. */
  public static DatabaseConfig freshDatabase() {
    return DatabaseConfig.external(freshDatabaseUrl());
  }

  /**
   * A started {@link Database} on a fresh, migrated database (blocks while it creates it: call from
   * the test thread).
   */
  public static Future<Database> startFresh(Vertx vertx) {
    return Database.start(vertx, freshDatabase(), List.of(Marketplace.SCHEMA));
  }

  /** Which server the tests use, for messages. */
  public static synchronized String serverDescription() {
    server();
    return serverDescription;
  }

  private static synchronized DatabaseAddress createDatabase() {
    DatabaseAddress server = server();
    String name = "t_" + HexFormat.of().formatHex(randomBytes(8));
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create a test database on " + serverDescription + ": " + e.getMessage(), e);
    }
    created.add(name);
    return server.withDatabase(name);
  }

  private static DatabaseAddress server() {
    if (admin != null) {
      return admin;
    }
    String url = System.getenv(URL_ENV);
    if (url != null && !url.isBlank()) {
      admin = DatabaseAddress.parse(url);
      serverDescription = "external server " + admin;
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropCreated, "drop-test-dbs"));
      return admin;
    }
    if ("docker".equalsIgnoreCase(System.getenv(KIND_ENV)) && dockerAvailable()) {
      return admin = container();
    }
    try {
      return admin = embedded();
    } catch (IOException | RuntimeException e) {
      if (dockerAvailable()) {
        return admin = container();
      }
      throw new IllegalStateException("Cannot start an embedded Postgres for tests: " + e, e);
    }
  }

  private static DatabaseAddress embedded() throws IOException {
    Path data = Files.createTempDirectory("agentchat-test-pg");
    // Keep the unpacked binaries in the build directory, not /tmp, when run from Maven.
    Path target = Path.of("target");
    Path binaries =
        Files.isDirectory(target)
            ? target.resolve("pg-bin")
            : data.resolveSibling("agentchat-test-pg-bin");
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(true)
            .setOverrideWorkingDirectory(binaries.toAbsolutePath().toFile())
            // The same case mapping as the production embedded server.
            .setLocaleConfig("locale-provider", "builtin")
            .setLocaleConfig("builtin-locale", "C.UTF-8")
            // Stopped, and its data directory deleted, by zonky's own shutdown hook.
            .setRegisterShutdownHook(true)
            .start();
    serverDescription = "embedded Postgres on port " + postgres.getPort();
    return new DatabaseAddress("localhost", postgres.getPort(), "postgres", "postgres", null);
  }

  private static DatabaseAddress container() {
    PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-test-postgres"));
    serverDescription = "Testcontainers " + container.getDockerImageName();
    return new DatabaseAddress(
        container.getHost(),
        container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
        container.getDatabaseName(),
        container.getUsername(),
        container.getPassword());
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static synchronized void dropCreated() {
    try (Connection c =
            DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
        Statement s = c.createStatement()) {
      for (String name : created) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      System.err.println("Could not drop test databases " + created + ": " + e.getMessage());
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
