package io.agentchat.marketplace.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.spi.StandingChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skills registry: one registration per agent, replaced as a whole, and search over all
 * registered skills. Postgres holds the registry; search runs on an in-memory {@link SkillIndex}
 * loaded from it at {@link #open} and updated after each registration commits. The index lives on
 * one worker thread of its own, so searches never occupy an event loop and need no locks.
 *
 * <p>The index belongs to this process: servers sharing one database see each other's registrations
 * only after a restart (SPEC.md, "Skills").
 *
 * <p>Thread-safe.
 */
public final class SkillRepository {
  private static final Logger LOG = LoggerFactory.getLogger("agentchat.marketplace");
  private static final AtomicInteger EXECUTORS = new AtomicInteger();

  /** Rows fetched per cursor read while loading the index. */
  private static final int LOAD_BATCH = 2_000;

  /**
   * Searches queued on the index thread before more are refused: at well under a millisecond each,
   * a bound on how long a search (or a registration behind them) can wait.
   */
  private static final int MAX_QUEUED_SEARCHES = 256;

  /** Delay before retrying to re-read an agent's registration the index may have missed. */
  private static final long REFRESH_RETRY_MS = 5_000;

  // An upsert rather than delete-then-insert: two racing registrations of one agent then queue
  // on the registration row instead of one failing on its primary key. The new seq is drawn in
  // the UPDATE, after the row lock, so one agent's registrations take increasing seqs in commit
  // order (excluded.seq was drawn before the wait); the index relies on that to ignore stale
  // updates. A new registration thereby also sorts as newly inserted.
  private static final String UPSERT_REGISTRATION =
      "INSERT INTO skill_registrations (agent_id, registered_at, sig) VALUES ($1, $2, $3)"
          + " ON CONFLICT (agent_id) DO UPDATE"
          + " SET registered_at = excluded.registered_at, sig = excluded.sig,"
          + " seq = nextval(pg_get_serial_sequence('skill_registrations', 'seq'))"
          + " RETURNING registered_at, seq";

  private static final String DELETE_SKILLS = "DELETE FROM skills WHERE agent_id = $1";

  private static final String INSERT_SKILL =
      "INSERT INTO skills (agent_id, position, capability, rate, currency, description, body,"
          + " registered_at, reg_seq)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7::text::json, $8, $9)";

  private static final String SKILL_COLUMNS = "capability, rate, currency, body::text AS body";

  private static final String LOAD_ALL =
      "SELECT agent_id, reg_seq, registered_at, "
          + SKILL_COLUMNS
          + " FROM skills ORDER BY reg_seq, position";

  // One statement, so the registration and its skills come from one snapshot. An empty
  // registration yields one row with a null capability.
  private static final String LOAD_AGENT =
      "SELECT r.seq AS reg_seq, r.registered_at, "
          + SKILL_COLUMNS
          + " FROM skill_registrations r LEFT JOIN skills s ON s.agent_id = r.agent_id"
          + " WHERE r.agent_id = $1 ORDER BY s.position";

  private static final String SKILLS_OF =
      "SELECT body::text AS body FROM skills WHERE agent_id = $1 ORDER BY position";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectReader SKILL_READER = JSON.readerFor(ObjectNode.class);

  private final Vertx vertx;
  private final Pool pool;
  private final WorkerExecutor indexThread;
  private final int maxSkills;
  private final SkillIndex index = new SkillIndex();

  /**
   * Agents whose registration is being re-read into the index: false, or true when another re-read
   * was asked for meanwhile (it may have to see a later commit).
   */
  private final ConcurrentHashMap<String, Boolean> refreshing = new ConcurrentHashMap<>();

  /** Searches waiting for or running on the index thread. */
  private final AtomicInteger queuedSearches = new AtomicInteger();

  private volatile boolean closed;

  private SkillRepository(Vertx vertx, Pool pool, int maxSkills) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxSkills = maxSkills;
    this.indexThread =
        vertx.createSharedWorkerExecutor("agentchat-skill-index-" + EXECUTORS.incrementAndGet(), 1);
  }

  /**
   * A repository over the marketplace pool, with its index loaded from the stored registrations.
   * Close it when done.
   */
  public static Future<SkillRepository> open(Vertx vertx, Pool pool) {
    return open(vertx, pool, MarketplaceOptions.DEFAULT_MAX_SKILLS);
  }

  /**
   * As {@link #open(Vertx, Pool)}, holding at most about {@code maxSkills} skills: a registration
   * that would take the registry past it is refused (two racing registrations may each pass the
   * check, so the bound can be overshot by what they add).
   */
  public static Future<SkillRepository> open(Vertx vertx, Pool pool, int maxSkills) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(pool, "pool");
    SkillRepository repository = new SkillRepository(vertx, pool, maxSkills);
    return pool.withTransaction(
            conn ->
                conn.prepare(LOAD_ALL)
                    .compose(
                        statement ->
                            repository.loadFrom(statement.cursor()).eventually(statement::close)))
        .compose(loaded -> repository.onIndex(repository.index::size))
        .map(
            size -> {
              LOG.atInfo()
                  .addKeyValue("event", "skill_index_loaded")
                  .addKeyValue("skills", size)
                  .log("skill index loaded");
              return repository;
            })
        .recover(e -> repository.close().transform(ignored -> Future.failedFuture(e)));
  }

  private Future<Void> loadFrom(Cursor cursor) {
    return cursor
        .read(LOAD_BATCH)
        .compose(
            rows -> {
              List<Row> batch = new ArrayList<>(rows.size());
              rows.forEach(batch::add);
              return onIndex(
                  () -> {
                    for (Row row : batch) {
                      index.load(
                          row.getString("agent_id"),
                          row.getLong("reg_seq"),
                          row.getLong("registered_at"),
                          skillOf(row));
                    }
                    return null;
                  });
            })
        .compose(v -> cursor.hasMore() ? loadFrom(cursor) : Future.succeededFuture());
  }

  /** Stops the index thread. */
  public Future<Void> close() {
    closed = true;
    return indexThread.close();
  }

  /**
   * Replaces the agent's registration, in one transaction, with these skills. Each item must be an
   * object with a string {@code capability}; {@code rate} is kept for filtering when it is a
   * number, {@code currency} and {@code description} when they are strings; the whole item is
   * stored as registered. Searches see the new registration once the returned future completes.
   *
   * @param agentId bare id
   * @param skills the REGISTER_SKILLS array
   * @param sig the registration's signature
   * @param now registration time (epoch ms)
   * @return a future completed with {@code registered_at}, or failed with {@link
   *     IllegalArgumentException} for a malformed item or {@link SkillRegistryFullException} when
   *     the registry is full (nothing stored either way)
   */
  public Future<Long> register(String agentId, ArrayNode skills, String sig, long now) {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(sig, "sig");
    List<SkillColumns> items;
    try {
      items = columnsOf(skills);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return onIndex(() -> index.size() - index.sizeOf(agentId) + items.size() <= maxSkills)
        .compose(
            fits ->
                fits
                    ? store(agentId, items, sig, now)
                    : Future.failedFuture(new SkillRegistryFullException(maxSkills)));
  }

  private Future<Long> store(String agentId, List<SkillColumns> items, String sig, long now) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(UPSERT_REGISTRATION)
                    .execute(Tuple.of(agentId, now, sig))
                    .map(rows -> rows.iterator().next())
                    .compose(registration -> replaceSkills(conn, agentId, items, registration)))
        .compose(
            registration ->
                onIndex(
                    () -> {
                      index.replace(
                          agentId,
                          registration.getLong("seq"),
                          registration.getLong("registered_at"),
                          indexed(items));
                      return registration.getLong("registered_at");
                    }))
        .onFailure(e -> refresh(agentId));
  }

  private static Future<Row> replaceSkills(
      SqlConnection conn, String agentId, List<SkillColumns> items, Row registration) {
    long registeredAt = registration.getLong("registered_at");
    long seq = registration.getLong("seq");
    List<Tuple> batch = new ArrayList<>(items.size());
    for (int position = 0; position < items.size(); position++) {
      SkillColumns c = items.get(position);
      batch.add(
          Tuple.wrap(
              new Object[] {
                agentId,
                position,
                c.capability(),
                c.rate() == null ? null : Numeric.create(c.rate()),
                c.currency(),
                c.description(),
                c.body(),
                registeredAt,
                seq
              }));
    }
    return conn.preparedQuery(DELETE_SKILLS)
        .execute(Tuple.of(agentId))
        .compose(
            deleted ->
                batch.isEmpty()
                    ? Future.succeededFuture()
                    : conn.preparedQuery(INSERT_SKILL).executeBatch(batch))
        .map(inserted -> registration);
  }

  /**
   * Re-reads the agent's registration into the index, retrying until the database answers. A
   * registration whose commit the server could not confirm (the connection broke at the end) may be
   * stored even though {@link #register} failed; this keeps the index equal to the store.
   */
  private void refresh(String agentId) {
    if (closed || refreshing.merge(agentId, Boolean.FALSE, (running, asked) -> Boolean.TRUE)) {
      return; // a re-read is running; it will run once more
    }
    reread(agentId);
  }

  private void reread(String agentId) {
    pool.preparedQuery(LOAD_AGENT)
        .execute(Tuple.of(agentId))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(); // never registered: nothing to index
              }
              Row first = rows.iterator().next();
              List<SkillIndex.Skill> skills = new ArrayList<>(rows.size());
              for (Row row : rows) {
                if (row.getString("capability") != null) {
                  skills.add(skillOf(row));
                }
              }
              return onIndex(
                  () ->
                      index.replace(
                          agentId,
                          first.getLong("reg_seq"),
                          first.getLong("registered_at"),
                          skills));
            })
        .onSuccess(
            v -> {
              Boolean again =
                  refreshing.compute(
                      agentId, (k, asked) -> Boolean.TRUE.equals(asked) ? Boolean.FALSE : null);
              if (again != null) {
                reread(agentId);
              }
            })
        .onFailure(
            e -> {
              if (closed) {
                refreshing.remove(agentId);
                return;
              }
              LOG.atWarn()
                  .addKeyValue("event", "skill_index_refresh_failed")
                  .addKeyValue("agent", "@" + agentId)
                  .addKeyValue("error", String.valueOf(e))
                  .log("could not re-read a registration into the skill index; will retry");
              vertx.setTimer(
                  REFRESH_RETRY_MS,
                  t -> {
                    refreshing.put(agentId, Boolean.FALSE);
                    reread(agentId);
                  });
            });
  }

  /**
   * The skills an agent registered, each as registered, read from the database.
   *
   * @return a future completed with them in registration order; empty when it has none
   */
  public Future<List<ObjectNode>> registeredBy(String agentId) {
    return pool.preparedQuery(SKILLS_OF)
        .execute(Tuple.of(agentId))
        .map(
            rows -> {
              List<ObjectNode> skills = new ArrayList<>(rows.size());
              for (var row : rows) {
                try {
                  skills.add(SKILL_READER.readValue(row.getString("body")));
                } catch (java.io.IOException e) {
                  throw new IllegalStateException("a stored skill is not JSON", e);
                }
              }
              return skills;
            });
  }

  /**
   * Records standings (after the settlement that changed them committed), so search ranks by them
   * from now on. Standings arrive on the index thread in the order of this call.
   *
   * @return a future completed once searches see them
   */
  public Future<Void> applyStandings(List<StandingChange> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<StandingChange> copy = List.copyOf(changes);
    return onIndex(
        () -> {
          copy.forEach(index::applyStanding);
          return null;
        });
  }

  /**
   * Searches all registered skills. Hits come best rated for their capability first, then best
   * rated agent, then newest registration, ties in registry insertion order, then in the order of
   * the skills within their registration.
   *
   * @return a future completed with the first {@code query.limit()} hits and the total, or failed
   *     with {@link SearchBusyException} when too many searches are already waiting
   */
  public Future<SearchPage> search(SkillQuery query) {
    Objects.requireNonNull(query, "query");
    if (queuedSearches.incrementAndGet() > MAX_QUEUED_SEARCHES) {
      queuedSearches.decrementAndGet();
      return Future.failedFuture(new SearchBusyException());
    }
    return onIndex(
            () -> {
              SkillIndex.Result result =
                  index.search(
                      query.capability(), query.maxRate(), query.currency(), query.limit());
              List<SkillHit> hits = new ArrayList<>(result.hits().size());
              for (SkillIndex.Entry e : result.hits()) {
                hits.add(
                    new SkillHit(
                        e.agentId(),
                        parseObject(e.body),
                        e.registeredAt(),
                        e.agentStanding(),
                        e.skill));
              }
              return new SearchPage(hits, result.total());
            })
        .onComplete(done -> queuedSearches.decrementAndGet());
  }

  /** Runs on the index thread; the future completes on the caller's context. */
  private <T> Future<T> onIndex(Callable<T> work) {
    return indexThread.executeBlocking(work, true);
  }

  /** The columns of one skills row besides its keys; body is the item's JSON text. */
  private record SkillColumns(
      String capability, BigDecimal rate, String currency, String description, String body) {}

  private static List<SkillIndex.Skill> indexed(List<SkillColumns> items) {
    List<SkillIndex.Skill> skills = new ArrayList<>(items.size());
    for (SkillColumns c : items) {
      skills.add(new SkillIndex.Skill(c.capability(), c.rate(), c.currency(), c.body()));
    }
    return skills;
  }

  private static SkillIndex.Skill skillOf(Row row) {
    return new SkillIndex.Skill(
        row.getString("capability"),
        row.getBigDecimal("rate"),
        row.getString("currency"),
        row.getString("body"));
  }

  private static List<SkillColumns> columnsOf(ArrayNode skills) {
    Objects.requireNonNull(skills, "skills");
    List<SkillColumns> items = new ArrayList<>(skills.size());
    for (JsonNode item : skills) {
      if (!(item instanceof ObjectNode)) {
        throw new IllegalArgumentException("Each skill must be an object");
      }
      JsonNode capability = item.get("capability");
      if (capability == null || !capability.isTextual()) {
        throw new IllegalArgumentException("Each skill needs a string capability");
      }
      JsonNode rate = item.get("rate");
      items.add(
          new SkillColumns(
              capability.textValue(),
              rate != null && rate.isNumber() ? rate.decimalValue() : null,
              textOrNull(item.get("currency")),
              textOrNull(item.get("description")),
              writeJson(item)));
    }
    return items;
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static String writeJson(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Skill is not serialisable: " + e.getOriginalMessage(), e);
    }
  }

  private static ObjectNode parseObject(String json) {
    try {
      return SKILL_READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
