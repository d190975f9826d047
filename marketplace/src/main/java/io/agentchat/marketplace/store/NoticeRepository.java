package io.agentchat.marketplace.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Frames kept for agents that were offline, delivered at most once. Thread-safe. */
public final class NoticeRepository {
  private static final String QUEUE =
      "INSERT INTO notices (agent_id, frame, created_at) VALUES ($1, $2, $3)";

  // One statement: a notice is deleted by exactly one taker, so it is delivered at most once.
  private static final String TAKE_ALL =
      "WITH taken AS (DELETE FROM notices WHERE agent_id = $1 RETURNING id, agent_id, frame)"
          + " SELECT id, agent_id, frame FROM taken ORDER BY id";

  private static final RowMapper<Notice> NOTICE =
      row -> new Notice(row.getLong("id"), row.getString("agent_id"), row.getJsonObject("frame"));

  private final Pool pool;

  /** A repository over the marketplace pool. */
  public NoticeRepository(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /**
   * Keeps a frame for an offline agent.
   *
   * @param agentId bare id
   * @param frame the frame to deliver later
   * @param now when it was queued (epoch ms)
   * @return a future completed once it is stored
   */
  public Future<Void> queue(String agentId, JsonObject frame, long now) {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(frame, "frame");
    return pool.preparedQuery(QUEUE).execute(Tuple.of(agentId, frame, now)).mapEmpty();
  }

  /**
   * Removes and returns every notice of the agent, oldest first. Two racing calls never return the
   * same notice.
   *
   * @return a future completed with the notices (empty when none)
   */
  public Future<List<Notice>> takeAll(String agentId) {
    return pool.preparedQuery(TAKE_ALL)
        .mapping(NOTICE)
        .execute(Tuple.of(agentId))
        .map(
            rows -> {
              List<Notice> notices = new ArrayList<>(rows.size());
              rows.forEach(notices::add);
              return notices;
            });
  }
}
