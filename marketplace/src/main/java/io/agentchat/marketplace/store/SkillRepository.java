package io.agentchat.marketplace.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The skills registry: one registration per agent, replaced as a whole, and search over all
 * registered skills. Thread-safe.
 */
public final class SkillRepository {
  /** The trigram index that serves capability substring searches. */
  static final String CAPABILITY_INDEX = "skills_capability_trgm";

  // An upsert rather than delete-then-insert: two racing registrations of one agent then queue
  // on the registration row instead of one failing on its primary key. excluded.seq is a fresh
  // sequence value, so a new registration sorts as newly inserted.
  private static final String UPSERT_REGISTRATION =
      "INSERT INTO skill_registrations (agent_id, registered_at, sig) VALUES ($1, $2, $3)"
          + " ON CONFLICT (agent_id) DO UPDATE"
          + " SET registered_at = excluded.registered_at, sig = excluded.sig, seq = excluded.seq"
          + " RETURNING registered_at, seq";

  private static final String DELETE_SKILLS = "DELETE FROM skills WHERE agent_id = $1";

  private static final String INSERT_SKILL =
      "INSERT INTO skills (agent_id, position, capability, rate, currency, description, body,"
          + " registered_at, reg_seq)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7::text::json, $8, $9)";

  private static final String SEARCH_SELECT =
      "SELECT agent_id, body::text AS body, registered_at, count(*) OVER () AS total FROM skills";

  // Ratings are all equal until the ratings table exists; then the order starts with them.
  private static final String SEARCH_ORDER =
      " ORDER BY registered_at DESC, reg_seq, position LIMIT $";

  /** One statement per combination of filters, indexed by {@link #searchVariant}. */
  private static final String[] SEARCH = new String[8];

  static {
    for (int variant = 0; variant < SEARCH.length; variant++) {
      SEARCH[variant] = buildSearch((variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0);
    }
  }

  private static final RowMapper<SkillHit> SKILL_HIT =
      row ->
          new SkillHit(
              row.getString("agent_id"),
              parseObject(row.getString("body")),
              row.getLong("registered_at"));

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Pool pool;

  /** A repository over the marketplace pool. */
  public SkillRepository(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /**
   * Replaces the agent's registration, in one transaction, with these skills. Each item must be an
   * object with a string {@code capability}; {@code rate} is kept for filtering when it is a
   * number, {@code currency} and {@code description} when they are strings; the whole item is
   * stored as registered.
   *
   * @param agentId bare id
   * @param skills the REGISTER_SKILLS array
   * @param sig the registration's signature
   * @param now registration time (epoch ms)
   * @return a future completed with {@code registered_at}, or failed with {@link
   *     IllegalArgumentException} for a malformed item (nothing stored)
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
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(UPSERT_REGISTRATION)
                .execute(Tuple.of(agentId, now, sig))
                .map(rows -> rows.iterator().next())
                .compose(registration -> replaceSkills(conn, agentId, items, registration)));
  }

  private static Future<Long> replaceSkills(
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
                c.rate(),
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
        .map(inserted -> registeredAt);
  }

  /**
   * Searches all registered skills. Hits come newest registration first, ties in registry insertion
   * order, then in the order of the skills within their registration.
   *
   * @return a future completed with the first {@code query.limit()} hits and the total
   */
  public Future<SearchPage> search(SkillQuery query) {
    Objects.requireNonNull(query, "query");
    return pool.preparedQuery(searchSql(query))
        .execute(searchParameters(query))
        .map(
            rows -> {
              List<SkillHit> hits = new ArrayList<>(rows.size());
              long total = 0;
              for (Row row : rows) {
                hits.add(SKILL_HIT.apply(row));
                total = row.getLong("total");
              }
              return new SearchPage(hits, total);
            });
  }

  /** The statement {@link #search} runs for this query (for plan checks in tests). */
  static String searchSql(SkillQuery query) {
    return SEARCH[searchVariant(query)];
  }

  /** The parameters {@link #search} binds for this query. */
  static Tuple searchParameters(SkillQuery query) {
    Tuple params = Tuple.tuple();
    if (hasText(query.capability())) {
      params.addString(escapeLike(query.capability()));
    }
    if (query.maxRate() != null) {
      params.addValue(Numeric.create(query.maxRate()));
    }
    if (hasText(query.currency())) {
      params.addString(query.currency());
    }
    return params.addInteger(query.limit());
  }

  /** Escapes LIKE's wildcards and its escape character so user text matches literally. */
  static String escapeLike(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || c == '%' || c == '_') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  private static int searchVariant(SkillQuery query) {
    return (hasText(query.capability()) ? 1 : 0)
        | (query.maxRate() != null ? 2 : 0)
        | (hasText(query.currency()) ? 4 : 0);
  }

  // Separate statements rather than "$1 IS NULL OR …": a cached generic plan of the latter
  // cannot use the trigram index.
  private static String buildSearch(boolean capability, boolean maxRate, boolean currency) {
    List<String> where = new ArrayList<>();
    int n = 1;
    if (capability) {
      where.add("lower(capability) LIKE '%' || lower($" + n++ + ") || '%' ESCAPE '\\'");
    }
    if (maxRate) {
      where.add("(rate IS NULL OR rate <= $" + n++ + ")");
    }
    if (currency) {
      // An empty currency is falsy in the reference, so it passes like a missing one.
      where.add("(currency IS NULL OR currency = '' OR lower(currency) = lower($" + n++ + "))");
    }
    return SEARCH_SELECT
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + SEARCH_ORDER
        + n;
  }

  /** The columns of one skills row besides its keys; body is the item's JSON text. */
  private record SkillColumns(
      String capability, Numeric rate, String currency, String description, String body) {}

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
              rate != null && rate.isNumber() ? Numeric.create(rate.decimalValue()) : null,
              textOrNull(item.get("currency")),
              textOrNull(item.get("description")),
              writeJson(item)));
    }
    return items;
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static boolean hasText(String text) {
    return text != null && !text.isEmpty();
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
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
