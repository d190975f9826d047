package io.agentchat.bench.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.SigningStrings;
import io.agentchat.reputation.receipts.ReceiptSeal;
import io.agentchat.reputation.receipts.ServerKey;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes a JSONL receipts export of one agent's chain, as a server would export it: real keys, real
 * party signatures, sealed and chained receipts (about 90% COMPLETE, 7% unilateral and 3% mutual
 * DISPUTE, with a pool of counterparties), then the signed HEAD. Input for the verify benchmark
 * ({@code bench/scripts/receipts-verify.sh}) and for tests that need a large valid file.
 *
 * <pre>java -cp agentchat.jar io.agentchat.bench.receipts.ReceiptExportGenerator FILE --count N
 * </pre>
 */
@Command(
    name = "receipt-export-generator",
    mixinStandardHelpOptions = true,
    description = "Write a JSONL export of one agent's sealed receipt chain.")
public final class ReceiptExportGenerator implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long START_MS = 1_700_000_000_000L;

  /**
   * Party-signed bodies are made this many at a time, in parallel, before being sealed in order.
   */
  private static final int BATCH = 1024;

  @Parameters(paramLabel = "FILE", description = "Where to write the export.")
  Path file;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Receipts in the chain (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--json",
      description = "Write one {\"receipts\":[...],\"head\":{...}} document instead of JSONL.")
  boolean json;

  @Option(
      names = "--counterparties",
      paramLabel = "K",
      defaultValue = "200",
      description = "Distinct agents the exported agent deals with (default: ${DEFAULT-VALUE}).")
  int counterparties;

  /** Runs the generator from the command line. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ReceiptExportGenerator()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    long started = System.nanoTime();
    ServerKey server = ServerKey.of(Identity.generate("bench-server"), "bench-server");
    String agent = write(file, count, counterparties, server, json);
    System.err.printf(
        "wrote %,d receipts of %s to %s in %.1f s (server %s)%n",
        count, agent, file, (System.nanoTime() - started) / 1e9, server.id());
    return 0;
  }

  /**
   * Writes a JSONL export of {@code count} receipts of a new agent dealing with {@code
   * counterparties} others, sealed by {@code server}.
   *
   * @return the exported agent's id ({@code "@"} + id)
   */
  public static String write(Path file, int count, int counterparties, ServerKey server)
      throws IOException {
    return write(file, count, counterparties, server, false);
  }

  /**
   * Writes an export as JSONL or, with {@code asDocument}, as one JSON document.
   *
   * @return the exported agent's id ({@code "@"} + id)
   */
  public static String write(
      Path file, int count, int counterparties, ServerKey server, boolean asDocument)
      throws IOException {
    if (count < 0 || counterparties < 1) {
      throw new IllegalArgumentException("count must be ≥ 0 and counterparties ≥ 1");
    }
    AgentKeyPair agent = AgentKeyPair.generate();
    AgentKeyPair[] others =
        IntStream.range(0, counterparties)
            .mapToObj(i -> AgentKeyPair.generate())
            .toArray(AgentKeyPair[]::new);
    Map<String, String> lastHash = new HashMap<>();
    String head = null;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (asDocument) {
        out.write("{\"receipts\":[");
        out.newLine();
      }
      for (int first = 0; first < count; first += BATCH) {
        int end = Math.min(count, first + BATCH);
        ObjectNode[] bodies =
            IntStream.range(first, end)
                .parallel()
                .mapToObj(i -> body(i, agent, others[i % others.length]))
                .toArray(ObjectNode[]::new);
        for (ObjectNode receipt : bodies) {
          if (asDocument && head != null) {
            out.write(",");
            out.newLine();
          }
          head = seal(receipt, server, lastHash);
          out.write(JSON.writeValueAsString(receipt));
          if (!asDocument) {
            out.newLine();
          }
        }
      }
      ObjectNode headLine =
          ReceiptSeal.head(id(agent), count, head, START_MS + count * 10_000L, server);
      if (asDocument) {
        out.newLine();
        out.write("],\"head\":");
      }
      out.write(JSON.writeValueAsString(headLine));
      if (asDocument) {
        out.write("}");
      }
      out.newLine();
    }
    return id(agent);
  }

  /** Receipt {@code i}: a deal between the agent and a counterparty, signed by both. */
  private static ObjectNode body(int i, AgentKeyPair agent, AgentKeyPair other) {
    boolean agentProposes = i % 2 == 0;
    AgentKeyPair from = agentProposes ? agent : other;
    AgentKeyPair to = agentProposes ? other : agent;
    long at = START_MS + i * 10_000L;
    String id = String.format("prop_%s_%08x", Long.toString(at, 36), i);
    String task = "Task " + i + ": review the pull request and report findings";
    JsonNode amount = i % 5 == 0 ? NullNode.instance : NODES.numberNode((i % 997) / 4.0 + 0.5);
    JsonNode currency = amount.isNull() ? NullNode.instance : NODES.textNode("SOL");
    JsonNode expires = NODES.numberNode(300);
    JsonNode stake = i % 3 == 0 ? NODES.numberNode(i % 50) : NullNode.instance;
    JsonNode acceptStake = i % 4 == 0 ? NODES.numberNode(5) : NullNode.instance;
    ObjectNode r = NODES.objectNode();
    int kind = i % 100;
    r.put("type", kind < 90 ? "COMPLETE" : "DISPUTE");
    r.put("seq", i + 1L);
    r.put("proposal_id", id);
    r.put("from", id(from));
    r.put("to", id(to));
    r.put("task", task);
    r.put("capability", "code_review");
    r.set("amount", amount);
    r.set("currency", currency);
    r.putNull("payment_code");
    r.set("expires", expires);
    r.set("elo_stake", stake);
    r.put(
        "proposal_sig",
        from.sign(
            SigningStrings.proposal(
                id(to), task, amount, currency, NullNode.instance, expires, stake)));
    r.putNull("accept_payment_code");
    r.set("accept_elo_stake", acceptStake);
    r.put("accept_sig", to.sign(SigningStrings.accept(id, NullNode.instance, acceptStake)));
    if (kind < 90) {
      AgentKeyPair completer = i % 3 == 0 ? from : to;
      String proof = "https://example.com/deliveries/" + i;
      r.put("completed_by", id(completer));
      r.put("completed_at", at + 5_000);
      r.put("proof", proof);
      r.put("completion_sig", completer.sign(SigningStrings.complete(id, proof)));
    } else {
      AgentKeyPair disputer = i % 2 == 0 ? to : from;
      AgentKeyPair contester = disputer == from ? to : from;
      boolean mutual = kind >= 97;
      r.put("disputed_by", id(disputer));
      r.put("disputed_at", at + 5_000);
      r.put("reason", "not delivered");
      r.put("dispute_sig", disputer.sign(SigningStrings.dispute(id, "not delivered")));
      if (mutual) {
        r.put("contested_by", id(contester));
        r.put("contested_at", at + 6_000);
        r.put("contest_reason", "delivered on time");
        r.put("contest_sig", contester.sign(SigningStrings.dispute(id, "delivered on time")));
      } else {
        r.putNull("contested_by");
        r.putNull("contested_at");
        r.putNull("contest_reason");
        r.putNull("contest_sig");
      }
      r.put("settlement", mutual ? "mutual" : "unilateral");
    }
    r.put("settled_at", at + 7_000);
    ObjectNode ratings = r.putObject("rating_changes");
    ratings.putObject(id(from)).put("oldRating", 1200).put("newRating", 1208).put("change", 8);
    ratings.putObject(id(to)).put("oldRating", 1200).put("newRating", 1192).put("change", -8);
    r.putObject("pubkeys").put(id(from), from.publicKey().pem()).put(id(to), to.publicKey().pem());
    return r;
  }

  /** Links the receipt to each party's previous one, seals it, and returns its hash. */
  private static String seal(ObjectNode receipt, ServerKey server, Map<String, String> lastHash) {
    String from = receipt.get("from").textValue();
    String to = receipt.get("to").textValue();
    receipt.put("server", server.id());
    receipt.putObject("prev").put(from, lastHash.get(from)).put(to, lastHash.get(to));
    ReceiptSeal.seal(receipt, server);
    String hash = receipt.get(ReceiptSeal.HASH).textValue();
    lastHash.put(from, hash);
    lastHash.put(to, hash);
    return hash;
  }

  private static String id(AgentKeyPair keys) {
    return "@" + keys.publicKey().agentId();
  }
}
