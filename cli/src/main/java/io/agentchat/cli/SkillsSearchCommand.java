package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentSession;
import io.agentchat.protocol.ServerFrame;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchat skills search}: finds registered skills, best rated agents first. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search registered skills, best rated agents first.")
final class SkillsSearchCommand extends ConnectingCommand {
  private static final int DESCRIPTION_WIDTH = 60;

  @Option(
      names = {"-c", "--capability"},
      paramLabel = "TEXT",
      description = "Capabilities containing this text (any case).")
  String capability;

  @Option(names = "--max-rate", paramLabel = "AMOUNT", description = "Rates up to this amount.")
  String maxRate;

  @Option(
      names = "--currency",
      paramLabel = "CODE",
      description = "Only this currency (skills without one always match).")
  String currency;

  @Option(
      names = {"-l", "--limit"},
      paramLabel = "N",
      description = "At most N results (server default: 50).")
  Integer limit;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  private final ObjectNode query = JsonNodeFactory.instance.objectNode();

  @Override
  protected void validate() {
    if (capability != null) {
      query.put("capability", capability);
    }
    if (maxRate != null) {
      query.put("max_rate", requireAmount("--max-rate", maxRate));
    }
    if (currency != null) {
      query.put("currency", currency);
    }
    if (limit != null) {
      if (limit < 1) {
        throw CommandExit.badInput("--limit must be at least 1");
      }
      query.put("limit", limit);
    }
  }

  @Override
  protected int session(AgentSession client) {
    ServerFrame.SearchResults found = client.searchSkills(query).await();
    List<ObjectNode> results = found.results();
    if (json) {
      out().println(JsonOutput.pretty(results));
      return OK;
    }
    if (results.isEmpty()) {
      out().println("No skills found");
      return OK;
    }
    TextTable table =
        new TextTable("AGENT", "CAPABILITY", "RATE", "CURRENCY", "RATING", "DESCRIPTION");
    for (JsonNode skill : results) {
      table.row(
          TextTable.cell(skill.get("agent_id")),
          TextTable.cell(skill.get("capability")),
          TextTable.cell(skill.get("rate")),
          TextTable.cell(skill.get("currency")),
          TextTable.cell(rating(skill)),
          TextTable.truncate(TextTable.cell(skill.get("description")), DESCRIPTION_WIDTH));
    }
    table.print(out());
    long total = found.total();
    if (total > results.size()) {
      err()
          .println(
              "Showing "
                  + results.size()
                  + " of "
                  + total
                  + " matches; raise --limit"
                  + " to see more.");
    }
    return OK;
  }

  /** Ours and the reference 0.36 send {@code rating}; later reference servers skill ratings. */
  private static JsonNode rating(JsonNode skill) {
    return skill.hasNonNull("rating") ? skill.get("rating") : skill.get("skill_rating");
  }
}
