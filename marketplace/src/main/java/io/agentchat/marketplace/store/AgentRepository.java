package io.agentchat.marketplace.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Agents with a persistent identity the marketplace has seen log in. Every method runs in the
 * {@link SqlClient} it is given. Thread-safe.
 */
public final class AgentRepository {
  private static final String SEEN =
      "INSERT INTO agents (id, pubkey, name, first_seen, last_seen) VALUES ($1, $2, $3, $4, $4)"
          + " ON CONFLICT (id) DO UPDATE"
          + " SET pubkey = excluded.pubkey, name = excluded.name, last_seen = excluded.last_seen";

  private static final String IS_KNOWN = "SELECT EXISTS (SELECT 1 FROM agents WHERE id = $1)";

  private static final String PUBKEYS = "SELECT id, pubkey FROM agents WHERE id = ANY($1)";

  /** A repository; it holds no connection of its own. */
  public AgentRepository() {}

  /**
   * Records that the agent logged in at {@code now}: inserts it, or updates its key, name and
   * {@code last_seen} keeping {@code first_seen}.
   *
   * @param id bare id
   * @param pubkeyPem its Ed25519 public key PEM
   * @param name its current name, or null
   * @return a future completed once stored
   */
  public Future<Void> seen(SqlClient client, String id, String pubkeyPem, String name, long now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pubkeyPem, "pubkeyPem");
    return client.preparedQuery(SEEN).execute(Tuple.of(id, pubkeyPem, name, now)).mapEmpty();
  }

  /**
   * The public keys of these agents, for those that have logged in here with one.
   *
   * @return a future completed with a map from bare id to PEM
   */
  public Future<Map<String, String>> pubkeys(SqlClient client, List<String> ids) {
    return client
        .preparedQuery(PUBKEYS)
        .execute(Tuple.tuple().addArrayOfString(ids.toArray(new String[0])))
        .map(
            rows -> {
              Map<String, String> keys = new HashMap<>();
              rows.forEach(r -> keys.put(r.getString("id"), r.getString("pubkey")));
              return keys;
            });
  }

  /**
   * Whether the agent has ever logged in with a persistent identity.
   *
   * @param id bare id
   * @return a future completed with the answer
   */
  public Future<Boolean> isKnown(SqlClient client, String id) {
    return client
        .preparedQuery(IS_KNOWN)
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }
}
