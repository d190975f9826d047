package io.agentchat.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentIds;
import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.relay.HttpAnswer;
import io.agentchat.relay.HttpApi;
import io.agentchat.relay.HttpQuery;
import io.agentchat.reputation.AgentReputation;
import io.agentchat.reputation.ImportRefusedException;
import io.agentchat.reputation.ImportReport;
import io.agentchat.reputation.Reputation;
import io.agentchat.wallet.Balance;
import io.agentchat.wallet.Currencies;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public HTTP read API (SPEC.md, "HTTP API"): the server's identity, agents' standings and
 * receipts, the leaderboard, skills, proposals, and receipt imports. Paths take agent ids with or
 * without the {@code @}. Unknown ids get 404, bad parameters 400, both with a JSON error.
 */
final class V1Api implements HttpApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern AGENT = Pattern.compile("/v1/agents/@?([^/]+)");
  private static final Pattern AGENT_RECEIPTS = Pattern.compile("/v1/agents/@?([^/]+)/receipts");
  private static final Pattern AGENT_BALANCES = Pattern.compile("/v1/agents/@?([^/]+)/balances");
  private static final Pattern PROPOSAL = Pattern.compile("/v1/proposals/([^/]+)");
  private static final int DEFAULT_LEADERBOARD = 10;
  private static final int MAX_LIMIT = 1_000;
  private static final int MAX_SEARCH_LIMIT = MarketplaceOptions.MAX_SEARCH_LIMIT;

  private final Supplier<Marketplace> marketplace;
  private final Reputation reputation;
  private final Currencies currencies;
  private final AtomicBoolean replaying = new AtomicBoolean();

  /**
   * @param marketplace the running marketplace, or null while it is not running
   * @param reputation the reputation plug-in, or null for a server without one
   * @param currencies the currency adapters, or null for a server that checks no currency
   */
  V1Api(Supplier<Marketplace> marketplace, Reputation reputation, Currencies currencies) {
    this.marketplace = marketplace;
    this.reputation = reputation;
    this.currencies = currencies;
  }

  @Override
  public Future<HttpAnswer> handle(HttpQuery q) {
    try {
      return route(q);
    } catch (BadRequest e) {
      return Future.succeededFuture(HttpAnswer.error(400, e.getMessage()));
    }
  }

  private Future<HttpAnswer> route(HttpQuery q) {
    String path = q.path();
    Matcher m;
    if (path.equals("/v1/receipts/import")) {
      return method(q, "POST") ? importReceipts(q) : notAllowed(q);
    }
    if (!method(q, "GET")) {
      return known(path) ? notAllowed(q) : notFound(path);
    }
    if (path.equals("/v1/server")) {
      return withReputation(r -> Future.succeededFuture(server(r)));
    }
    if (path.equals("/v1/leaderboard")) {
      int limit = limit(q, DEFAULT_LEADERBOARD);
      return withReputation(r -> r.leaderboard(limit).map(V1Api::leaderboard));
    }
    if (path.equals("/v1/skills")) {
      return skills(q);
    }
    if (path.equals("/v1/ratings/replay")) {
      return withReputation(this::replay);
    }
    if (path.equals("/v1/currencies")) {
      return Future.succeededFuture(currencies());
    }
    if ((m = AGENT_BALANCES.matcher(path)).matches()) {
      return balances(agentId(m.group(1)));
    }
    if ((m = AGENT_RECEIPTS.matcher(path)).matches()) {
      String id = agentId(m.group(1));
      String format = q.param("format");
      if (format != null && !format.equals("jsonl") && !format.equals("json")) {
        throw new BadRequest("format must be jsonl or json");
      }
      return withReputation(r -> receipts(r, id, "jsonl".equals(format)));
    }
    if ((m = AGENT.matcher(path)).matches()) {
      return agent(agentId(m.group(1)));
    }
    if ((m = PROPOSAL.matcher(path)).matches()) {
      String id = m.group(1);
      return withMarketplace(
          market ->
              market
                  .proposal(id)
                  .map(
                      p ->
                          p.map(body -> HttpAnswer.ok(body.toString()))
                              .orElseGet(() -> HttpAnswer.error(404, "No proposal " + id))));
    }
    return notFound(path);
  }

  /** Whether a path names one of the API's resources (whatever the method). */
  private static boolean known(String path) {
    return path.equals("/v1/server")
        || path.equals("/v1/leaderboard")
        || path.equals("/v1/skills")
        || path.equals("/v1/ratings/replay")
        || path.equals("/v1/currencies")
        || AGENT_BALANCES.matcher(path).matches()
        || AGENT_RECEIPTS.matcher(path).matches()
        || AGENT.matcher(path).matches()
        || PROPOSAL.matcher(path).matches();
  }

  private static Future<HttpAnswer> notFound(String path) {
    return Future.succeededFuture(HttpAnswer.error(404, "No such API path: " + path));
  }

  private static HttpAnswer server(Reputation r) {
    Reputation.ServerInfo s = r.server();
    ObjectNode o = NODES.objectNode().put("id", s.id()).put("name", s.name());
    o.put("pubkey", s.publicKey());
    return HttpAnswer.ok(o.toString());
  }

  private Future<HttpAnswer> agent(String id) {
    Marketplace market = marketplace.get();
    if (market == null) {
      return unavailable();
    }
    Future<Optional<AgentReputation>> standing =
        reputation == null ? Future.succeededFuture(Optional.empty()) : reputation.agent(id);
    Future<List<ObjectNode>> skills = market.skillsOf(id);
    boolean online = market.isOnline(id);
    return Future.all(standing, skills)
        .map(
            v -> {
              Optional<AgentReputation> s = standing.result();
              if (s.isEmpty() && skills.result().isEmpty() && !online) {
                return HttpAnswer.error(404, "No agent @" + id + " on this server");
              }
              ObjectNode o = NODES.objectNode().put("id", "@" + id);
              o.put("rating", s.map(AgentReputation::rating).orElse(1200L));
              o.put("transactions", s.map(AgentReputation::transactions).orElse(0L));
              o.put("staked", s.map(AgentReputation::staked).orElse(0L));
              o.put("receipts", s.map(AgentReputation::receipts).orElse(0L));
              o.put("head", s.map(AgentReputation::head).orElse(null));
              ObjectNode caps = o.putObject("capabilities");
              s.ifPresent(
                  a ->
                      a.capabilities()
                          .forEach(
                              (cap, rating) ->
                                  caps.putObject(cap)
                                      .put("rating", rating.rating())
                                      .put("transactions", rating.transactions())));
              ArrayNode skillList = o.putArray("skills");
              skills.result().forEach(skillList::add);
              o.put("online", online);
              return HttpAnswer.ok(o.toString());
            });
  }

  private HttpAnswer currencies() {
    ObjectNode o = NODES.objectNode();
    o.set("adapters", currencies == null ? NODES.arrayNode() : currencies.describe());
    ArrayNode codes = o.putArray("codes");
    if (currencies != null) {
      currencies.codes().forEach(codes::add);
    }
    return HttpAnswer.ok(o.toString());
  }

  /** The agent's ledger balances; 404 for an agent this server has never met. */
  private Future<HttpAnswer> balances(String id) {
    if (currencies == null) {
      return Future.succeededFuture(
          HttpAnswer.error(404, "This server keeps no balances (no currency adapters)"));
    }
    return withMarketplace(
        market ->
            market
                .isKnown(id)
                .compose(
                    known -> {
                      if (!known) {
                        return Future.succeededFuture(
                            HttpAnswer.error(404, "No agent @" + id + " on this server"));
                      }
                      return currencies
                          .balances(id)
                          .map(
                              list -> {
                                ObjectNode o = NODES.objectNode().put("id", "@" + id);
                                ArrayNode all = o.putArray("balances");
                                for (Balance b : list) {
                                  all.addObject()
                                      .put("currency", b.currency())
                                      .put("balance", b.balance().toPlainString())
                                      .put("held", b.held().toPlainString())
                                      .put("available", b.available().toPlainString());
                                }
                                return HttpAnswer.ok(o.toString());
                              });
                    }));
  }

  private static HttpAnswer leaderboard(List<AgentReputation> top) {
    ObjectNode o = NODES.objectNode();
    ArrayNode list = o.putArray("leaderboard");
    int rank = 0;
    for (AgentReputation a : top) {
      list.addObject()
          .put("rank", ++rank)
          .put("id", "@" + a.agentId())
          .put("rating", a.rating())
          .put("transactions", a.transactions());
    }
    return HttpAnswer.ok(o.toString());
  }

  private Future<HttpAnswer> receipts(Reputation r, String id, boolean jsonl) {
    return r.agent(id)
        .compose(
            known ->
                known.isEmpty()
                    ? Future.succeededFuture(
                        HttpAnswer.error(404, "No receipts of @" + id + " on this server"))
                    : export(r, id, jsonl));
  }

  private Future<HttpAnswer> export(Reputation r, String id, boolean jsonl) {
    return r.exportJsonl(id)
        .map(
            file -> {
              if (jsonl) {
                return new HttpAnswer(200, "application/x-ndjson", file);
              }
              // Each line is already one JSON value: the document is assembled around them, not
              // parsed and written again.
              String[] lines = file.split("\n");
              StringBuilder doc = new StringBuilder(file.length() + 32).append("{\"receipts\":[");
              for (int i = 0; i < lines.length - 1; i++) {
                doc.append(i == 0 ? "" : ",").append(lines[i]);
              }
              doc.append("],\"head\":").append(lines[lines.length - 1]).append('}');
              return HttpAnswer.ok(doc.toString());
            });
  }

  /**
   * Replays every counted receipt and compares with the stored ratings. It reads every receipt: one
   * replay runs at a time, another asked for meanwhile gets 503.
   */
  private Future<HttpAnswer> replay(Reputation r) {
    if (!replaying.compareAndSet(false, true)) {
      return Future.succeededFuture(
          HttpAnswer.error(503, "A replay is already running; try again when it is done"));
    }
    return r.recalculate()
        .map(
            rec -> {
              ObjectNode o = NODES.objectNode().put("receipts", rec.receipts());
              o.put("matches", rec.differences().isEmpty());
              ArrayNode differences = o.putArray("differences");
              rec.differences().forEach(differences::add);
              ArrayNode ratings = o.putArray("ratings");
              for (AgentReputation a : rec.ratings()) {
                ratings
                    .addObject()
                    .put("id", "@" + a.agentId())
                    .put("rating", a.rating())
                    .put("transactions", a.transactions());
              }
              return HttpAnswer.ok(o.toString());
            })
        .onComplete(done -> replaying.set(false));
  }

  private Future<HttpAnswer> skills(HttpQuery q) {
    String capability = q.param("capability");
    String currency = q.param("currency");
    BigDecimal maxRate = null;
    if (q.param("max_rate") != null) {
      try {
        maxRate = new BigDecimal(q.param("max_rate"));
      } catch (NumberFormatException e) {
        throw new BadRequest("max_rate must be a number");
      }
    }
    int limit = limit(q, 50);
    if (limit > MAX_SEARCH_LIMIT) {
      throw new BadRequest("limit must be 1-" + MAX_SEARCH_LIMIT);
    }
    BigDecimal max = maxRate;
    return withMarketplace(
        market ->
            market
                .searchSkills(capability, max, currency, limit)
                .map(o -> HttpAnswer.ok(o.toString()))
                .recover(
                    e ->
                        e instanceof ProtocolException busy
                                && busy.code() == ErrorCode.SERVICE_UNAVAILABLE
                            ? Future.succeededFuture(HttpAnswer.error(503, busy.getMessage()))
                            : Future.failedFuture(e)));
  }

  private Future<HttpAnswer> importReceipts(HttpQuery q) {
    String file = new String(q.body(), StandardCharsets.UTF_8);
    if (file.isBlank()) {
      throw new BadRequest("the body must be a receipts file (JSONL or JSON)");
    }
    return withReputation(
        r ->
            r.importFile(file)
                .map(V1Api::imported)
                .recover(
                    e -> {
                      if (e instanceof ImportRefusedException refused) {
                        ObjectNode o = NODES.objectNode().put("error", refused.getMessage());
                        o.put("status", 422);
                        ArrayNode problems = o.putArray("problems");
                        refused.problems().forEach(problems::add);
                        return Future.succeededFuture(HttpAnswer.json(422, o.toString()));
                      }
                      return Future.failedFuture(e);
                    }));
  }

  private static HttpAnswer imported(ImportReport report) {
    ObjectNode o = NODES.objectNode();
    o.put("counted", report.count(ImportReport.COUNTED));
    o.put("kept", report.count(ImportReport.KEPT));
    o.put("duplicates", report.count(ImportReport.DUPLICATE));
    ArrayNode lines = o.putArray("receipts");
    for (ImportReport.Line l : report.receipts()) {
      lines
          .addObject()
          .put("proposal_id", l.proposalId())
          .put("server", l.server())
          .put("result", l.result());
    }
    return HttpAnswer.ok(o.toString());
  }

  // ------------------------------------------------------------------------------ helpers

  private Future<HttpAnswer> withReputation(
      java.util.function.Function<Reputation, Future<HttpAnswer>> use) {
    if (reputation == null) {
      return Future.succeededFuture(
          HttpAnswer.error(404, "This server keeps no reputation (no ratings, no receipts)"));
    }
    if (marketplace.get() == null) {
      return unavailable();
    }
    return use.apply(reputation);
  }

  private Future<HttpAnswer> withMarketplace(
      java.util.function.Function<Marketplace, Future<HttpAnswer>> use) {
    Marketplace market = marketplace.get();
    return market == null ? unavailable() : use.apply(market);
  }

  private static Future<HttpAnswer> unavailable() {
    return Future.succeededFuture(
        HttpAnswer.error(503, "The marketplace is starting or unavailable; try again shortly"));
  }

  private static Future<HttpAnswer> notAllowed(HttpQuery q) {
    return Future.succeededFuture(
        HttpAnswer.error(405, q.method() + " is not allowed on " + q.path()));
  }

  private static boolean method(HttpQuery q, String method) {
    return q.method().equals(method);
  }

  private static String agentId(String raw) {
    if (!AgentIds.isValidPersistentId(raw)) {
      throw new BadRequest("not an agent id: " + raw + " (16 lowercase hex digits, @ optional)");
    }
    return raw;
  }

  private static int limit(HttpQuery q, int dflt) {
    String raw = q.param("limit");
    if (raw == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n < 1 || n > MAX_LIMIT) {
        throw new BadRequest("limit must be 1-" + MAX_LIMIT);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest("limit must be a whole number, got " + raw);
    }
  }

  /** A bad parameter: answered 400 with the message. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }
}
