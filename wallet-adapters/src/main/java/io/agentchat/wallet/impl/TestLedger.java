package io.agentchat.wallet.impl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.spi.ProposalView;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.wallet.Balance;
import io.agentchat.wallet.CurrencyAdapter;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * TEST: a ledger kept in the server's database, for development and tests. ACCEPT holds the amount
 * from the proposer's account, COMPLETE pays it to the acceptor, and anything that ends a deal
 * unpaid (REJECT, expiry, a lapse, a dispute) gives it back — each in the verb's own transaction.
 * The table's CHECK constraints make a negative balance impossible, whatever the code does.
 *
 * <p>An account opens, with the faucet's amount, the first time the ledger touches its agent.
 * Accounts are locked in agent id order, so two deals between the same agents never deadlock.
 */
final class TestLedger implements CurrencyAdapter {
  static final String NAME = "test-ledger";
  static final String CODE = "TEST";
  static final int DECIMALS = 8;
  static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000000000");

  private static final String OPEN =
      "INSERT INTO wallet_test_accounts (agent_id, balance, held, opened_at)"
          + " SELECT a, $2, 0, $3 FROM unnest($1::text[]) AS a ORDER BY a"
          + " ON CONFLICT (agent_id) DO NOTHING";
  private static final String LOCK =
      "SELECT agent_id, balance, held FROM wallet_test_accounts WHERE agent_id = ANY($1)"
          + " ORDER BY agent_id FOR UPDATE";
  private static final String HOLD =
      "UPDATE wallet_test_accounts SET held = held + $2 WHERE agent_id = $1";
  private static final String KEEP_HOLD =
      "INSERT INTO wallet_test_holds (proposal_id, payer, amount, held_at) VALUES ($1, $2, $3, $4)";
  private static final String TAKE_HOLD =
      "DELETE FROM wallet_test_holds WHERE proposal_id = $1 RETURNING payer, amount";
  private static final String RELEASE =
      "WITH hold AS (DELETE FROM wallet_test_holds WHERE proposal_id = $1 RETURNING payer, amount)"
          + " UPDATE wallet_test_accounts a SET held = a.held - hold.amount FROM hold"
          + " WHERE a.agent_id = hold.payer";
  private static final String PAY_FROM =
      "UPDATE wallet_test_accounts SET balance = balance - $2, held = held - $3"
          + " WHERE agent_id = $1";
  private static final String PAY_TO =
      "UPDATE wallet_test_accounts SET balance = balance + $2 WHERE agent_id = $1";
  private static final String RECORD =
      "INSERT INTO wallet_test_transfers (proposal_id, payer, payee, amount, at)"
          + " VALUES ($1, $2, $3, $4, $5) RETURNING id";
  private static final String BALANCE =
      "SELECT balance, held FROM wallet_test_accounts WHERE agent_id = $1";

  private final BigDecimal faucet;
  private Pool pool;

  TestLedger(BigDecimal faucet) {
    this.faucet = faucet;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> codes() {
    return Set.of(CODE);
  }

  @Override
  public boolean onChain() {
    return false;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("name", NAME);
    d.put("kind", "ledger");
    d.putArray("codes").add(CODE);
    d.put("decimals", DECIMALS);
    d.put("faucet", Amounts.text(faucet));
    return d;
  }

  @Override
  public Optional<String> checkAmount(String code, BigDecimal amount) {
    return Amounts.check(code, amount, DECIMALS, MAX_AMOUNT);
  }

  @Override
  public Optional<String> checkPaymentCode(String code, String paymentCode) {
    // The ledger pays agents by id: a payment code names nothing here, so any is fine.
    return Optional.empty();
  }

  @Override
  public Future<Void> start(Pool shared) {
    this.pool = shared;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> hold(ProposalView p, SqlConnection tx) {
    long now = p.acceptedAt() == null ? System.currentTimeMillis() : p.acceptedAt();
    return lock(tx, now, p.from())
        .compose(
            rows -> {
              Row payer = rows.iterator().next();
              BigDecimal available = payer.getBigDecimal("balance").subtract(held(payer));
              if (available.compareTo(p.amount()) < 0) {
                return Future.failedFuture(
                    new ProtocolException(
                        ErrorCode.INVALID_PROPOSAL,
                        "@"
                            + p.from()
                            + " cannot cover "
                            + Amounts.text(p.amount())
                            + " TEST: its available balance is "
                            + Amounts.text(available)));
              }
              // Both statements leave together: one round trip.
              Future<RowSet<Row>> held =
                  tx.preparedQuery(HOLD).execute(Tuple.of(p.from(), p.amount()));
              Future<RowSet<Row>> kept =
                  tx.preparedQuery(KEEP_HOLD).execute(Tuple.of(p.id(), p.from(), p.amount(), now));
              return Future.all(held, kept).mapEmpty();
            });
  }

  @Override
  public Future<ObjectNode> settle(ProposalView p, SqlConnection tx) {
    long now = p.completedAt() == null ? System.currentTimeMillis() : p.completedAt();
    Future<RowSet<Row>> locked = lock(tx, now, p.from(), p.to());
    // Sent right behind the lock, on the same connection: it runs under it, in the same round trip.
    Future<RowSet<Row>> taken = tx.preparedQuery(TAKE_HOLD).execute(Tuple.of(p.id()));
    return Future.all(locked, taken)
        .compose(
            both -> {
              RowSet<Row> hold = taken.result();
              BigDecimal held =
                  hold.size() == 0
                      ? BigDecimal.ZERO
                      : hold.iterator().next().getBigDecimal("amount");
              if (held.signum() == 0) {
                // The hold went back when the deal lapsed: pay from what is free.
                Row payer = row(locked.result(), p.from());
                BigDecimal available = payer.getBigDecimal("balance").subtract(held(payer));
                if (available.compareTo(p.amount()) < 0) {
                  return Future.failedFuture(
                      CurrencyAdapter.notVerified(
                          "the TEST held for this deal went back to @"
                              + p.from()
                              + " when it lapsed, and its available balance ("
                              + Amounts.text(available)
                              + ") no longer covers "
                              + Amounts.text(p.amount())));
                }
              }
              // The three writes leave together: one round trip.
              Future<RowSet<Row>> paid =
                  tx.preparedQuery(PAY_FROM).execute(Tuple.of(p.from(), p.amount(), held));
              Future<RowSet<Row>> received =
                  tx.preparedQuery(PAY_TO).execute(Tuple.of(p.to(), p.amount()));
              Future<RowSet<Row>> recorded =
                  tx.preparedQuery(RECORD)
                      .execute(Tuple.of(p.id(), p.from(), p.to(), p.amount(), now));
              return Future.all(paid, received, recorded)
                  .map(done -> evidence(p, recorded.result().iterator().next().getLong("id"), now));
            });
  }

  @Override
  public Future<Void> release(ProposalView p, SqlConnection tx) {
    return tx.preparedQuery(RELEASE).execute(Tuple.of(p.id())).mapEmpty();
  }

  @Override
  public Future<List<Balance>> balances(String agentId) {
    return pool.preparedQuery(BALANCE)
        .execute(Tuple.of(agentId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                // Not touched yet: it opens with the faucet's amount.
                return List.of(new Balance(CODE, faucet, BigDecimal.ZERO));
              }
              Row r = rows.iterator().next();
              return List.of(new Balance(CODE, Amounts.exact(r.getBigDecimal("balance")), held(r)));
            });
  }

  /**
   * Opens the agents' accounts if new, then locks them in id order: both statements in one round
   * trip (the lock waits for the insert on the connection, not for its answer).
   */
  private Future<RowSet<Row>> lock(SqlConnection tx, long now, String... agents) {
    String[] ids = agents.clone();
    Future<RowSet<Row>> opened = tx.preparedQuery(OPEN).execute(Tuple.of(ids, faucet, now));
    Future<RowSet<Row>> locked = tx.preparedQuery(LOCK).execute(Tuple.of((Object) ids));
    return Future.all(opened, locked).map(done -> locked.result());
  }

  private static Row row(RowSet<Row> rows, String agent) {
    for (Row r : rows) {
      if (agent.equals(r.getString("agent_id"))) {
        return r;
      }
    }
    throw new IllegalStateException("account " + agent + " was opened but not found");
  }

  private static BigDecimal held(Row r) {
    return Amounts.exact(r.getBigDecimal("held"));
  }

  private static ObjectNode evidence(ProposalView p, long transfer, long at) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("currency", p.currency());
    e.put("amount", Amounts.text(p.amount()));
    e.put("ledger", NAME);
    e.put("transfer", transfer);
    e.put("payer", "@" + p.from());
    e.put("payee", "@" + p.to());
    e.put("verified_at", at);
    return e;
  }
}
