package io.agentchat.wallet.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.db.DatabaseAddress;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TEST ledger's tables refuse a negative balance, a negative hold and a hold larger than the
 * balance, whatever writes them: the last line of defence behind the ledger's own checks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestLedgerConstraintsTest {

  private static Connection connect() throws SQLException {
    DatabaseAddress db =
        DatabaseAddress.parse(
            TestDatabases.freshDatabaseUrl(List.of(Marketplace.SCHEMA, Schema.of("wallet"))));
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private static String refusal(Statement s, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql));
    return e.getSQLState();
  }

  @Test
  void noWriteCanTakeAnAccountBelowZeroOrHoldMoreThanItOwns() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO wallet_test_accounts (agent_id, balance, held, opened_at)"
              + " VALUES ('a', 10, 4, 0)");
      String checkViolation = "23514";
      assertEquals(
          checkViolation,
          refusal(s, "UPDATE wallet_test_accounts SET balance = balance - 11 WHERE agent_id='a'"));
      assertEquals(
          checkViolation,
          refusal(s, "UPDATE wallet_test_accounts SET balance = 3 WHERE agent_id='a'"),
          "the balance may not fall below what is held");
      assertEquals(
          checkViolation,
          refusal(s, "UPDATE wallet_test_accounts SET held = -1 WHERE agent_id='a'"));
      assertEquals(
          checkViolation,
          refusal(
              s,
              "INSERT INTO wallet_test_holds (proposal_id, payer, amount, held_at)"
                  + " VALUES ('p', 'a', 0, 0)"));
      assertEquals(
          "23505",
          refusal(
              s,
              "INSERT INTO wallet_payments VALUES ('1:0xab', 'p1', 'ETH', '{}', 0),"
                  + " ('1:0xab', 'p2', 'ETH', '{}', 0)"),
          "one chain transaction pays one deal");
    }
  }
}
