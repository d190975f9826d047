package io.agentchat.marketplace.db;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.store.AgentRepository;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own holding a database on a data directory, for tests that kill it. Prints {@code
 * ready} on stdout once the database runs, then runs until its stdin ends (the test closes it, or
 * the test JVM dies) and stops the database as a normal shutdown would.
 *
 * <ul>
 *   <li>{@code DATA_DIR AGENT_ID}: the marketplace's {@link Database}, with the agent recorded;
 *   <li>{@code --foreign BIN_DIR PG_DIR}: a plain zonky Postgres on {@code PG_DIR} from binaries
 *       unpacked in {@code BIN_DIR}, standing for a Postgres that agentchat did not start.
 * </ul>
 */
final class DatabaseChild {
  private DatabaseChild() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("--foreign")) {
      try (EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setOverrideWorkingDirectory(Path.of(args[1]).toFile())
              .setDataDirectory(Path.of(args[2]))
              .setCleanDataDirectory(false)
              .start()) {
        runUntilStdinEnds();
      }
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Database database =
          Database.start(
                  vertx, DatabaseConfig.embedded(Path.of(args[0])), List.of(Marketplace.SCHEMA))
              .await(120, TimeUnit.SECONDS);
      new AgentRepository()
          .seen(database.pool(), args[1], "PEM", "written before the crash", 1_000)
          .await(30, TimeUnit.SECONDS);
      runUntilStdinEnds();
      database.close().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static void runUntilStdinEnds() throws Exception {
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Only the end of stdin matters.
    }
  }
}
