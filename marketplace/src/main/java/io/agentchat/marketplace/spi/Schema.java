package io.agentchat.marketplace.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A module's tables in the shared database: where its Flyway migrations live and the history table
 * that records which of them ran. Every module keeps its own history, so a plug-in's {@code V1__}
 * never collides with the marketplace's.
 *
 * @param name short lower-case name, for logs ({@code marketplace}, {@code reputation})
 * @param location Flyway location of the module's migrations, e.g. {@code classpath:db/reputation}
 * @param historyTable the table Flyway records this module's migrations in
 */
public record Schema(String name, String location, String historyTable) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");

  public Schema {
    Objects.requireNonNull(location, "location");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("schema name must match " + NAME + ": " + name);
    }
    if (historyTable == null || !NAME.matcher(historyTable).matches()) {
      throw new IllegalArgumentException("history table must match " + NAME + ": " + historyTable);
    }
  }

  /**
   * The usual layout: migrations in {@code classpath:db/<name>}, history in {@code
   * <name>_schema_history}.
   */
  public static Schema of(String name) {
    return new Schema(name, "classpath:db/" + name, name + "_schema_history");
  }
}
