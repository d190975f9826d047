package db.marketplace;

import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Before version 5, a login re-sent every open proposal as a PROPOSAL frame instead of keeping
 * notices, and a proposal to an offline recipient was kept nowhere else. Each proposal still
 * pending and unexpired at the upgrade becomes one notice for its recipient, so a recipient that
 * was offline across the upgrade still gets it, once. (One it had already seen arrives one more
 * time.) Written in Java so the frame is encoded exactly as the server encodes it.
 */
public class V5__Pending_proposals_become_notices extends BaseJavaMigration {
  private static final String PENDING =
      "SELECT id, from_agent, to_agent, task, amount, currency, payment_code, terms, expires_at,"
          + " created_at, sig, proposer_stake FROM proposals"
          + " WHERE status = 'pending' AND (expires_at IS NULL OR expires_at > ?)"
          + " ORDER BY created_at, id";

  private static final String KEEP =
      "INSERT INTO notices (agent_id, frame, created_at, proposal_id) VALUES (?, ?, ?, ?)";

  @Override
  public void migrate(Context context) throws SQLException {
    long now = System.currentTimeMillis();
    Connection db = context.getConnection();
    try (PreparedStatement pending = db.prepareStatement(PENDING);
        PreparedStatement keep = db.prepareStatement(KEEP)) {
      pending.setLong(1, now);
      try (ResultSet p = pending.executeQuery()) {
        while (p.next()) {
          ServerFrame.Proposal frame =
              new ServerFrame.Proposal(
                  now,
                  p.getString("id"),
                  "@" + p.getString("from_agent"),
                  "@" + p.getString("to_agent"),
                  p.getString("task"),
                  p.getBigDecimal("amount"),
                  p.getString("currency"),
                  p.getString("payment_code"),
                  p.getString("terms"),
                  nullableLong(p, "expires_at"),
                  ServerFrame.Proposal.PENDING,
                  p.getLong("created_at"),
                  p.getString("sig"),
                  nullableLong(p, "proposer_stake"),
                  null);
          keep.setString(1, p.getString("to_agent"));
          keep.setString(2, FrameCodec.encodeToString(frame));
          keep.setLong(3, now);
          keep.setString(4, p.getString("id"));
          keep.addBatch();
        }
      }
      keep.executeBatch();
    }
  }

  private static Long nullableLong(ResultSet rows, String column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }
}
