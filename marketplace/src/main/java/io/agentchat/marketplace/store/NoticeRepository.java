package io.agentchat.marketplace.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Frames kept for agents that were offline, each delivered at most once. Every method runs in the
 * {@link SqlClient} it is given, so a notice queued inside a verb's transaction commits or rolls
 * back with the change it reports. Thread-safe.
 */
public final class NoticeRepository {
  private static final String QUEUE =
      "INSERT INTO notices (agent_id, frame, created_at, proposal_id) VALUES ($1, $2, $3, $4)";

  private static final String DROP_FOR_PROPOSALS =
      "DELETE FROM notices WHERE proposal_id = ANY($1)";

  // One statement: a notice is deleted by exactly one taker, so it is delivered at most once.
  private static final String TAKE_ALL =
      "WITH taken AS (DELETE FROM notices WHERE agent_id = $1 RETURNING id, agent_id, frame)"
          + " SELECT id, agent_id, frame FROM taken ORDER BY id";

  private static final RowMapper<Notice> NOTICE =
      row -> new Notice(row.getLong("id"), row.getString("agent_id"), row.getString("frame"));

  /** A repository; it holds no connection of its own. */
  public NoticeRepository() {}

  /**
   * Keeps a frame for an offline agent.
   *
   * @param agentId bare id
   * @param frame the frame's JSON text, exactly as it is to be sent
   * @param now when it was queued (epoch ms)
   * @return a future completed once it is stored (committed, if {@code client} is a pool)
   */
  public Future<Void> queue(SqlClient client, String agentId, String frame, long now) {
    return queue(client, agentId, frame, now, null);
  }

  /**
   * Keeps a frame for an offline agent that announces a proposal (a PROPOSAL frame): it is dropped
   * by {@link #dropForProposals} if the proposal expires before the agent logs in.
   *
   * @param proposalId the proposal the frame announces, or null for any other frame
   */
  public Future<Void> queue(
      SqlClient client, String agentId, String frame, long now, String proposalId) {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(frame, "frame");
    return client
        .preparedQuery(QUEUE)
        .execute(Tuple.of(agentId, frame, now, proposalId))
        .mapEmpty();
  }

  /**
   * Drops the PROPOSAL notices of proposals that ended unseen (expired), in the transaction that
   * ends them.
   *
   * @return a future completed with the number of notices dropped
   */
  public Future<Integer> dropForProposals(SqlClient client, List<String> proposalIds) {
    if (proposalIds.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return client
        .preparedQuery(DROP_FOR_PROPOSALS)
        .execute(Tuple.tuple().addArrayOfString(proposalIds.toArray(new String[0])))
        .map(rows -> rows.rowCount());
  }

  /**
   * Removes and returns every notice of the agent, oldest first. Two racing calls never return the
   * same notice.
   *
   * @return a future completed with the notices (empty when none)
   */
  public Future<List<Notice>> takeAll(SqlClient client, String agentId) {
    return client
        .preparedQuery(TAKE_ALL)
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
