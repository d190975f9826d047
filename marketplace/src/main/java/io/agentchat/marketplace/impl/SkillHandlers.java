package io.agentchat.marketplace.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.store.SearchPage;
import io.agentchat.marketplace.store.SkillHit;
import io.agentchat.marketplace.store.SkillQuery;
import io.agentchat.marketplace.store.SkillRepository;
import io.agentchat.protocol.BusMessages.MarketplaceReply;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** REGISTER_SKILLS and SEARCH_SKILLS. */
final class SkillHandlers {
  static final int MAX_SKILLS = 100;
  static final int MAX_CAPABILITY = 64;
  static final int MAX_DESCRIPTION = 1000;
  static final int MAX_SKILL_JSON = 4096;

  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z0-9_.-]{1,16}");

  /** Result fields the server owns: a skill object cannot set them (the reference lets it). */
  private static final Set<String> SERVER_FIELDS =
      Set.of(
          "agent_id",
          "registered_at",
          "rating",
          "transactions",
          "agent_rating",
          "agent_transactions",
          "skill_rating",
          "skill_transactions");

  private final SkillRepository skills;
  private final Notifier notifier;

  SkillHandlers(SkillRepository skills, Notifier notifier) {
    this.skills = skills;
    this.notifier = notifier;
  }

  Future<MarketplaceReply> register(Caller caller, ClientFrame.RegisterSkills f, long now) {
    caller.requireKey("Skill registration requires persistent identity");
    validate(f.skills());
    caller.requireSignature(
        SigningStrings.registerSkills(f.skills()),
        f.sig(),
        "Skill registration requires persistent identity");
    return skills
        .register(caller.id(), f.skills(), f.sig(), now)
        .map(
            registeredAt -> {
              List<String> capabilities = new ArrayList<>();
              for (JsonNode skill : f.skills()) {
                capabilities.add(skill.get("capability").asText());
              }
              notifier.toChannel(
                  "#discovery",
                  "Agent "
                      + caller.wireId()
                      + " registered "
                      + capabilities.size()
                      + " skill(s): "
                      + String.join(", ", capabilities),
                  false);
              return MarketplaceReply.of(
                  FrameCodec.encodeToString(
                      new ServerFrame.SkillsRegistered(
                          now, caller.wireId(), capabilities.size(), registeredAt)));
            });
  }

  /** The checks the reference leaves out, so the registry holds bounded, well-typed skills. */
  static void validate(ArrayNode skills) {
    if (skills.size() > MAX_SKILLS) {
      throw ProtocolException.invalid("At most " + MAX_SKILLS + " skills per registration");
    }
    for (JsonNode skill : skills) {
      String capability = skill.get("capability").asText();
      if (capability.length() > MAX_CAPABILITY) {
        throw ProtocolException.invalid("capability must be 1-" + MAX_CAPABILITY + " characters");
      }
      JsonNode rate = skill.get("rate");
      if (rate != null
          && !rate.isNull()
          && (!rate.isNumber() || rate.doubleValue() < 0 || !Double.isFinite(rate.doubleValue()))) {
        throw ProtocolException.invalid("rate must be a non-negative number");
      }
      JsonNode currency = skill.get("currency");
      if (currency != null
          && !currency.isNull()
          && (!currency.isTextual() || !CURRENCY.matcher(currency.asText()).matches())) {
        throw ProtocolException.invalid("currency must be a short code (1-16 letters or digits)");
      }
      JsonNode description = skill.get("description");
      if (description != null
          && !description.isNull()
          && (!description.isTextual() || description.asText().length() > MAX_DESCRIPTION)) {
        throw ProtocolException.invalid(
            "description must be a string of at most " + MAX_DESCRIPTION + " characters");
      }
      if (skill.toString().contains("\\u0000")) {
        // Postgres cannot store NUL in text; refuse it here rather than fail in the database.
        throw ProtocolException.invalid("Skills may not contain NUL characters");
      }
      if (skill.toString().length() > MAX_SKILL_JSON) {
        throw ProtocolException.invalid("A skill may take at most " + MAX_SKILL_JSON + " bytes");
      }
    }
  }

  Future<MarketplaceReply> search(ClientFrame.SearchSkills f, long now) {
    ObjectNode q = f.query();
    String capability = text(q.get("capability"));
    String currency = text(q.get("currency"));
    JsonNode maxRateNode = q.get("max_rate");
    BigDecimal maxRate =
        maxRateNode == null || maxRateNode.isNull() ? null : maxRateNode.decimalValue();
    JsonNode limitNode = q.get("limit");
    int limit = MarketplaceOptions.DEFAULT_SEARCH_LIMIT;
    if (limitNode != null && !limitNode.isNull() && limitNode.doubleValue() != 0) {
      double l = limitNode.doubleValue();
      if (l < 1 || l != Math.rint(l)) {
        throw ProtocolException.invalid("query.limit must be a positive integer");
      }
      limit = (int) Math.min(l, MarketplaceOptions.MAX_SEARCH_LIMIT);
    }
    return skills
        .search(new SkillQuery(capability, maxRate, currency, limit))
        .map(page -> results(f, page, now));
  }

  private static MarketplaceReply results(ClientFrame.SearchSkills f, SearchPage page, long now) {
    return MarketplaceReply.of(
        FrameCodec.encodeToString(
            new ServerFrame.SearchResults(
                now, f.queryId(), f.query(), resultObjects(page), page.total())));
  }

  /**
   * Each hit as SEARCH_RESULTS carries it: the skill as registered, then the server's members. The
   * reference's {@code rating}/{@code transactions} are the agent's; {@code agent_*} repeat them
   * and {@code skill_*} give the agent's standing for this capability (§10.3).
   */
  static List<ObjectNode> resultObjects(SearchPage page) {
    List<ObjectNode> results = new ArrayList<>(page.hits().size());
    for (SkillHit hit : page.hits()) {
      ObjectNode r = JsonNodeFactory.instance.objectNode().put("agent_id", "@" + hit.agentId());
      Iterator<Map.Entry<String, JsonNode>> fields = hit.body().fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (!SERVER_FIELDS.contains(e.getKey())) {
          r.set(e.getKey(), plainNumber(e.getValue()));
        }
      }
      r.put("registered_at", hit.registeredAt())
          .put("rating", hit.agent().rating())
          .put("transactions", hit.agent().transactions())
          .put("agent_rating", hit.agent().rating())
          .put("agent_transactions", hit.agent().transactions())
          .put("skill_rating", hit.skill().rating())
          .put("skill_transactions", hit.skill().transactions());
      results.add(r);
    }
    return results;
  }

  /** A skill member as results show it: integers as integers, other numbers as exact decimals. */
  private static JsonNode plainNumber(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? LongNode.valueOf(v.longValue()) : v;
    }
    return v.isNumber() ? DecimalNode.valueOf(v.decimalValue()) : v;
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
