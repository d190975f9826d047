package io.agentchat.marketplace.db;

import io.agentchat.marketplace.spi.Schema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database every module shares: an embedded Postgres (the default) or an external server, each
 * module's {@link Schema} migrated with Flyway into a history table of its own, reached through one
 * reactive pool.
 *
 * <p>Blocking work (starting and stopping the embedded server, Flyway over JDBC) runs on worker
 * threads via {@code executeBlocking}; queries go through {@link #pool()} only. Thread-safe.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final String VERSION_SQL = "SELECT current_setting('server_version')";

  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedServer embedded;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Database(Vertx vertx, Pool pool, EmbeddedServer embedded, String description) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
    this.description = description;
  }

  /**
   * Starts the embedded server (or checks the external one), applies each schema's pending
   * migrations, in order, and opens the pool.
   *
   * @param schemas the modules' schemas, each migrated with its own history table; list a schema
   *     before the ones whose migrations refer to its tables
   * @return a future completed with the ready database, or failed with a {@link
   *     DatabaseStartException} whose message an operator can act on
   */
  public static Future<Database> start(Vertx vertx, DatabaseConfig config, List<Schema> schemas) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    List<Schema> ordered = List.copyOf(schemas);
    if (!config.isEmbedded()) {
      DatabaseAddress address;
      try {
        address = DatabaseAddress.parse(config.externalUrl());
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(
            new DatabaseStartException("Invalid database URL: " + e.getMessage(), e));
      }
      return vertx
          .executeBlocking(() -> migrate(address, ordered))
          .compose(v -> open(vertx, config, address, null));
    }
    EmbeddedServer server = new EmbeddedServer(config.dataDir(), config.embeddedPort());
    return vertx
        .executeBlocking(
            () -> {
              server.start();
              try {
                migrate(server.address(), ordered);
              } catch (RuntimeException e) {
                server.stop();
                throw e;
              }
              return server.address();
            })
        .compose(address -> open(vertx, config, address, server));
  }

  private static Future<Database> open(
      Vertx vertx, DatabaseConfig config, DatabaseAddress address, EmbeddedServer server) {
    Pool pool;
    try {
      pool = createPool(vertx, config, address);
    } catch (RuntimeException e) {
      return stopQuietly(vertx, server).transform(ignored -> Future.failedFuture(e));
    }
    return pool.query(VERSION_SQL)
        .execute()
        .map(rows -> majorOf(rows.iterator().next().getString(0)))
        .map(
            version -> {
              String description =
                  server != null
                      ? server.describe(version)
                      : "Postgres "
                          + version
                          + " at "
                          + address.hostAndPort()
                          + "/"
                          + address.database();
              LOG.info("Marketplace database ready: {}", description);
              return new Database(vertx, pool, server, description);
            })
        .recover(
            e ->
                pool.close()
                    .eventually(() -> stopQuietly(vertx, server))
                    .transform(
                        ignored ->
                            Future.failedFuture(
                                new DatabaseStartException(
                                    "Cannot reach database at "
                                        + address.hostAndPort()
                                        + ": "
                                        + e.getMessage(),
                                    e))));
  }

  private static Future<Void> stopQuietly(Vertx vertx, EmbeddedServer server) {
    if (server == null) {
      return Future.succeededFuture();
    }
    return vertx
        .<Void>executeBlocking(
            () -> {
              server.stop();
              return null;
            })
        .otherwiseEmpty();
  }

  private static Pool createPool(Vertx vertx, DatabaseConfig config, DatabaseAddress address) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(address.host())
            .setPort(address.port())
            .setDatabase(address.database())
            .setUser(address.user())
            .setCachePreparedStatements(true)
            .setReconnectAttempts(DatabaseConfig.RECONNECT_ATTEMPTS)
            .setReconnectInterval(DatabaseConfig.RECONNECT_INTERVAL_MS)
            // The server's own bounds, should a client-side one ever fail: a transaction left
            // idle (its client gone quiet) is ended, and a statement waits for a row lock no
            // longer than the client would wait for its answer.
            .setProperties(
                Map.of(
                    "idle_in_transaction_session_timeout",
                    String.valueOf(DatabaseConfig.IDLE_IN_TRANSACTION_TIMEOUT_MS),
                    "lock_timeout",
                    String.valueOf(DatabaseConfig.LOCK_TIMEOUT_MS)));
    if (address.password() != null) {
      connect.setPassword(address.password());
    }
    PoolOptions poolOptions = new PoolOptions().setMaxSize(config.poolSize());
    NetClientOptions transport =
        new NetClientOptions()
            .setConnectTimeout(DatabaseConfig.CONNECT_TIMEOUT_MS)
            .setTcpKeepAlive(true);
    return PgBuilder.pool()
        .with(poolOptions)
        .with(transport)
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /**
   * Applies each schema's pending migrations over JDBC, in order. Blocking: for worker threads and
   * tests only.
   *
   * @throws DatabaseStartException naming what the operator should check
   */
  public static Void migrate(DatabaseAddress address, List<Schema> schemas) {
    for (Schema schema : schemas) {
      try {
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(address.jdbcUrl(), address.user(), address.password())
            .locations(schema.location())
            .table(schema.historyTable())
            // A module added to a database that already holds other modules' tables starts its
            // own history at version 0, so its V1 runs.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
      } catch (FlywayException e) {
        throw new DatabaseStartException(explain(e, address, schema), e);
      }
    }
    return null;
  }

  /** Turns a Flyway failure into what the operator should check. */
  private static String explain(FlywayException e, DatabaseAddress address, Schema schema) {
    SQLException sql = null;
    for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof SQLException found) {
        sql = found;
        break;
      }
    }
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    String where = address.hostAndPort();
    if (state.startsWith("08")) {
      return "Cannot reach database at " + where + ": " + withRootCause(sql);
    }
    if (state.startsWith("28")) {
      return "Cannot log in to database at "
          + where
          + " as "
          + address.user()
          + ": "
          + sql.getMessage();
    }
    if (state.equals("3D000")) {
      return "Database "
          + address.database()
          + " does not exist at "
          + where
          + ": "
          + sql.getMessage();
    }
    return "Cannot migrate the "
        + schema.name()
        + " schema of database "
        + address.database()
        + " at "
        + where
        + ": "
        + firstLine(e.getMessage());
  }

  private static String withRootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(e.getMessage());
    return root == e || root.getMessage() == null || message.contains(root.getMessage())
        ? message
        : message + " (" + root + ")";
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static String majorOf(String version) {
    int end = 0;
    while (end < version.length() && Character.isDigit(version.charAt(end))) {
      end++;
    }
    return end == 0 ? version : version.substring(0, end);
  }

  /** The reactive pool; repositories take it. Valid until {@link #close()}. */
  public Pool pool() {
    return pool;
  }

  /**
   * Where the data lives, for logs: "embedded Postgres 17 at /path/pg (port N)" or "Postgres 17 at
   * host:port/db". Never contains a password.
   */
  public String description() {
    return description;
  }

  /** Closes the pool, then stops the embedded server. Idempotent; never fails. */
  public Future<Void> close() {
    if (closed.getAndSet(true)) {
      return Future.succeededFuture();
    }
    return pool.close()
        .otherwiseEmpty()
        .compose(v -> embedded == null ? Future.succeededFuture() : stopEmbedded())
        .otherwiseEmpty()
        .mapEmpty();
  }

  private Future<Void> stopEmbedded() {
    return vertx.executeBlocking(
        () -> {
          embedded.stop();
          return null;
        });
  }

  @Override
  public String toString() {
    return "Database[" + description + "]";
  }
}
