package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.reputation.ReceiptReplay;
import io.agentchat.reputation.elo.Rated;
import io.agentchat.reputation.elo.RatingBook;
import io.agentchat.reputation.receipts.ReceiptFile;
import io.agentchat.reputation.receipts.ReceiptFileException;
import io.agentchat.reputation.receipts.ReceiptVerifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchat ratings}: an agent's standing on a server, the server's leaderboard, a replay of
 * the server's receipts against its stored ratings, or ratings computed offline from exported
 * receipt files.
 */
@Command(
    name = "ratings",
    mixinStandardHelpOptions = true,
    description = {
      "Show an agent's rating on a server (default: your identity's agent), the leaderboard,"
          + " or check that ratings are what the receipts say.",
      "With --from, compute every agent's rating offline from exported receipt files (each"
          + " verified first); exported files of all a server's agents give exactly the ratings"
          + " that server shows."
    })
final class RatingsCommand extends AgentChatBaseCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "AGENT",
      description = "The agent's id, with or without @ (default: the identity's).")
  String agent;

  @Mixin ServerOption server;

  @Mixin IdentityOption identity;

  @Option(
      names = {"-l", "--leaderboard"},
      paramLabel = "N",
      description = "Show the server's N best rated agents.")
  Integer leaderboard;

  @Option(
      names = {"-r", "--recalculate"},
      description =
          "Replay every receipt the server counted and compare with its stored ratings; exit 1 if"
              + " any differs.")
  boolean recalculate;

  @Option(
      names = "--from",
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Compute ratings offline from these receipt exports (JSONL or JSON); a file that does"
              + " not verify stops the run.")
  List<Path> from;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  protected int run() {
    int modes = (leaderboard != null ? 1 : 0) + (recalculate ? 1 : 0) + (from != null ? 1 : 0);
    if (modes > 1) {
      throw CommandExit.badInput("Choose one of --leaderboard, --recalculate and --from");
    }
    if (modes == 1 && agent != null) {
      throw CommandExit.badInput(
          "AGENT cannot be combined with --leaderboard, --recalculate or --from");
    }
    if (from != null) {
      return fromFiles();
    }
    if (leaderboard != null) {
      if (leaderboard < 1) {
        throw CommandExit.badInput("--leaderboard must be at least 1");
      }
      return leaderboard(server.api().leaderboard(leaderboard));
    }
    if (recalculate) {
      return recalculation(server.api().replayRatings());
    }
    String id = identity.agent(agent, "AGENT");
    return standing(server.api().agent(id));
  }

  // ------------------------------------------------------------------------------ standing

  private int standing(JsonNode a) {
    if (json) {
      out().println(JsonOutput.pretty(a));
      return OK;
    }
    TextTable block = new TextTable("Agent", TextTable.cell(a.get("id")));
    block.row("Rating", TextTable.cell(a.get("rating")));
    block.row("Transactions", TextTable.cell(a.get("transactions")));
    block.row("Staked", TextTable.cell(a.get("staked")));
    block.row("Receipts", TextTable.cell(a.get("receipts")));
    block.row("Online", a.path("online").asBoolean() ? "yes" : "no");
    block.print(out());
    JsonNode capabilities = a.path("capabilities");
    if (capabilities.size() > 0) {
      TextTable table = new TextTable("CAPABILITY", "RATING", "TRANSACTIONS");
      capabilities
          .fields()
          .forEachRemaining(
              c ->
                  table.row(
                      c.getKey(),
                      TextTable.cell(c.getValue().get("rating")),
                      TextTable.cell(c.getValue().get("transactions"))));
      out().println();
      table.print(out());
    }
    return OK;
  }

  private int leaderboard(JsonNode board) {
    if (json) {
      out().println(JsonOutput.pretty(board));
      return OK;
    }
    JsonNode top = board.path("leaderboard");
    if (top.isEmpty()) {
      out().println("No rated agents on this server");
      return OK;
    }
    TextTable table = new TextTable("RANK", "AGENT", "RATING", "TRANSACTIONS");
    for (JsonNode a : top) {
      table.row(
          TextTable.cell(a.get("rank")),
          TextTable.cell(a.get("id")),
          TextTable.cell(a.get("rating")),
          TextTable.cell(a.get("transactions")));
    }
    table.print(out());
    return OK;
  }

  private int recalculation(JsonNode replay) {
    boolean matches = replay.path("matches").asBoolean();
    if (json) {
      out().println(JsonOutput.pretty(replay));
      return matches ? OK : FAILURE;
    }
    long receipts = replay.path("receipts").asLong();
    String replayed = "Replayed " + receipts + (receipts == 1 ? " receipt" : " receipts");
    if (matches) {
      out().println(replayed + ": stored ratings match the receipts");
      return OK;
    }
    JsonNode differences = replay.path("differences");
    out()
        .println(
            replayed
                + ": "
                + differences.size()
                + (differences.size() == 1 ? " difference" : " differences")
                + " between the stored ratings and the receipts");
    differences.forEach(d -> out().println(d.asText()));
    return FAILURE;
  }

  // ---------------------------------------------------------------------------- from files

  /** Verifies every file first: nothing is computed from receipts that do not verify. */
  private int fromFiles() {
    List<JsonNode> receipts = new ArrayList<>();
    boolean allGood = true;
    for (Path file : from) {
      allGood &= verified(file);
    }
    if (!allGood) {
      throw CommandExit.failure("a file does not verify; no ratings computed");
    }
    for (Path file : from) {
      try {
        receipts.addAll(ReceiptFile.read(file).receipts());
      } catch (ReceiptFileException e) {
        throw CommandExit.badInput(e.getMessage());
      }
    }
    List<JsonNode> ordered = ReceiptReplay.inCountingOrder(receipts);
    RatingBook book;
    try {
      book = ReceiptReplay.replay(ordered);
    } catch (IllegalArgumentException e) {
      throw CommandExit.failure("A receipt does not describe a deal: " + e.getMessage());
    }
    printBook(book, ordered.size());
    return OK;
  }

  private boolean verified(Path file) {
    ReceiptVerifier.Report report;
    try {
      report =
          ReceiptVerifier.create()
              .verify(file, p -> err().println(file + ": " + ReceiptsVerifyCommand.line(p)));
    } catch (ReceiptFileException e) {
      throw CommandExit.badInput(e.getMessage());
    }
    return report.ok();
  }

  private void printBook(RatingBook book, int receipts) {
    List<Map.Entry<String, Rated>> agents = new ArrayList<>(book.ratings().entrySet());
    agents.sort(
        Comparator.comparingLong((Map.Entry<String, Rated> e) -> -e.getValue().rating())
            .thenComparing(Map.Entry::getKey));
    if (json) {
      ObjectNode o = JsonNodeFactory.instance.objectNode().put("receipts", receipts);
      ArrayNode list = o.putArray("agents");
      for (Map.Entry<String, Rated> e : agents) {
        ObjectNode a =
            list.addObject()
                .put("id", "@" + e.getKey())
                .put("rating", e.getValue().rating())
                .put("transactions", e.getValue().transactions());
        ObjectNode caps = a.putObject("capabilities");
        book.capabilities(e.getKey())
            .forEach(
                (cap, r) ->
                    caps.putObject(cap)
                        .put("rating", r.rating())
                        .put("transactions", r.transactions()));
      }
      out().println(JsonOutput.pretty(o));
      return;
    }
    err()
        .println(
            "Replayed "
                + receipts
                + (receipts == 1 ? " receipt" : " receipts")
                + " from "
                + from.size()
                + (from.size() == 1 ? " file" : " files"));
    if (agents.isEmpty()) {
      out().println("No rated agents in these files");
      return;
    }
    TextTable table = new TextTable("AGENT", "RATING", "TRANSACTIONS");
    for (Map.Entry<String, Rated> e : agents) {
      table.row(
          "@" + e.getKey(),
          String.valueOf(e.getValue().rating()),
          String.valueOf(e.getValue().transactions()));
    }
    table.print(out());
  }
}
