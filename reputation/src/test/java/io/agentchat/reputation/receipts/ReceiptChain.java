package io.agentchat.reputation.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.SigningStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A test server's settlements: real agent keys, real party signatures over the signing strings of
 * protocol facts §2.3, receipts sealed with a real server key and chained per party, and exports of
 * one agent's chain as JSONL or JSON. No mocks: what it writes is what a server would.
 */
final class ReceiptChain {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final ServerKey server;
  private final List<ObjectNode> sealed = new ArrayList<>();
  private final Map<String, String> lastHash = new HashMap<>();
  private long seq;
  private long clock = 1_700_000_000_000L;

  ReceiptChain() {
    this(ServerKey.of(Identity.generate("test-server"), "test-server"));
  }

  ReceiptChain(ServerKey server) {
    this.server = server;
  }

  /** A new agent with a fresh key. */
  static AgentKeyPair agent() {
    return AgentKeyPair.generate();
  }

  /** The wire id of an agent. */
  static String id(AgentKeyPair agent) {
    return "@" + agent.publicKey().agentId();
  }

  /** The terms of a deal; every member as it appears in the receipt (JSON values as signed). */
  static final class Deal {
    String task = "Review PR #42";
    JsonNode capability = NODES.textNode("code_review");
    JsonNode amount = NODES.numberNode(1.5);
    JsonNode currency = NODES.textNode("SOL");
    JsonNode paymentCode = NullNode.instance;
    JsonNode expires = NODES.numberNode(300);
    JsonNode eloStake = NODES.numberNode(10);
    JsonNode acceptPaymentCode = NODES.textNode("pay-to-bob");
    JsonNode acceptEloStake = NODES.numberNode(5);
    JsonNode proof = NODES.textNode("https://example.com/pr/42#approved");

    /** Changes the deal in place and returns it. */
    Deal with(Consumer<Deal> change) {
      change.accept(this);
      return this;
    }
  }

  /** Settles a completed deal; returns the sealed receipt. */
  ObjectNode complete(AgentKeyPair from, AgentKeyPair to, AgentKeyPair completer) {
    return complete(from, to, completer, new Deal(), r -> {});
  }

  /**
   * Settles a completed deal.
   *
   * @param beforeSeal changes the receipt after the parties signed and before the server seals it:
   *     a server that seals something wrong
   */
  ObjectNode complete(
      AgentKeyPair from,
      AgentKeyPair to,
      AgentKeyPair completer,
      Deal deal,
      Consumer<ObjectNode> beforeSeal) {
    String id = proposalId();
    ObjectNode receipt = deal("COMPLETE", id, from, to, deal);
    receipt.put("completed_by", id(completer));
    receipt.put("completed_at", tick());
    receipt.set("proof", deal.proof);
    receipt.put("completion_sig", completer.sign(SigningStrings.complete(id, deal.proof)));
    return settle(receipt, from, to, beforeSeal);
  }

  /** Settles a dispute nobody contested. */
  ObjectNode dispute(AgentKeyPair from, AgentKeyPair to, AgentKeyPair disputer, String reason) {
    return dispute(from, to, disputer, reason, null, null, r -> {});
  }

  /**
   * Settles a dispute, contested by the other party when {@code contester} is given.
   *
   * @param beforeSeal changes the receipt before the server seals it
   */
  ObjectNode dispute(
      AgentKeyPair from,
      AgentKeyPair to,
      AgentKeyPair disputer,
      String reason,
      AgentKeyPair contester,
      String contestReason,
      Consumer<ObjectNode> beforeSeal) {
    String id = proposalId();
    ObjectNode receipt = deal("DISPUTE", id, from, to, new Deal());
    receipt.put("disputed_by", id(disputer));
    receipt.put("disputed_at", tick());
    receipt.put("reason", reason);
    receipt.put("dispute_sig", disputer.sign(SigningStrings.dispute(id, reason)));
    if (contester == null) {
      receipt.putNull("contested_by");
      receipt.putNull("contested_at");
      receipt.putNull("contest_reason");
      receipt.putNull("contest_sig");
      receipt.put("settlement", "unilateral");
    } else {
      receipt.put("contested_by", id(contester));
      receipt.put("contested_at", tick());
      receipt.put("contest_reason", contestReason);
      receipt.put("contest_sig", contester.sign(SigningStrings.dispute(id, contestReason)));
      receipt.put("settlement", "mutual");
    }
    return settle(receipt, from, to, beforeSeal);
  }

  /** Every receipt sealed so far, oldest first. */
  List<ObjectNode> all() {
    return sealed;
  }

  /** The agent's receipts, oldest first. */
  List<ObjectNode> of(AgentKeyPair agent) {
    String id = id(agent);
    return sealed.stream()
        .filter(r -> r.get("from").asText().equals(id) || r.get("to").asText().equals(id))
        .toList();
  }

  /** The signed HEAD of the agent's export. */
  ObjectNode head(AgentKeyPair agent) {
    List<ObjectNode> chain = of(agent);
    String newest = chain.isEmpty() ? null : chain.get(chain.size() - 1).get("hash").asText();
    return ReceiptSeal.head(id(agent), chain.size(), newest, tick(), server);
  }

  /** The agent's export as JSONL lines: receipts oldest first, then the HEAD. */
  List<String> jsonlLines(AgentKeyPair agent) {
    List<String> lines = new ArrayList<>();
    for (ObjectNode receipt : of(agent)) {
      lines.add(write(receipt));
    }
    lines.add(write(head(agent)));
    return lines;
  }

  /** Writes the agent's export as JSONL. */
  Path writeJsonl(Path file, AgentKeyPair agent) {
    return writeLines(file, jsonlLines(agent));
  }

  /** Writes the agent's export as one JSON document, pretty-printed over many lines. */
  Path writeJson(Path file, AgentKeyPair agent) {
    ObjectNode document = NODES.objectNode();
    ArrayNode receipts = document.putArray("receipts");
    of(agent).forEach(receipts::add);
    document.set("head", head(agent));
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes lines with a newline after each. */
  static Path writeLines(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode parse(String line) {
    try {
      return (ObjectNode) JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode deal(String type, String id, AgentKeyPair from, AgentKeyPair to, Deal deal) {
    ObjectNode receipt = NODES.objectNode();
    receipt.put("type", type);
    receipt.put("seq", ++seq);
    receipt.put("proposal_id", id);
    receipt.put("from", id(from));
    receipt.put("to", id(to));
    receipt.put("task", deal.task);
    receipt.set("capability", deal.capability);
    receipt.set("amount", deal.amount);
    receipt.set("currency", deal.currency);
    receipt.set("payment_code", deal.paymentCode);
    receipt.set("expires", deal.expires);
    receipt.set("elo_stake", deal.eloStake);
    receipt.put(
        "proposal_sig",
        from.sign(
            SigningStrings.proposal(
                id(to),
                deal.task,
                deal.amount,
                deal.currency,
                deal.paymentCode,
                deal.expires,
                deal.eloStake)));
    receipt.set("accept_payment_code", deal.acceptPaymentCode);
    receipt.set("accept_elo_stake", deal.acceptEloStake);
    receipt.put(
        "accept_sig",
        to.sign(SigningStrings.accept(id, deal.acceptPaymentCode, deal.acceptEloStake)));
    return receipt;
  }

  private ObjectNode settle(
      ObjectNode receipt, AgentKeyPair from, AgentKeyPair to, Consumer<ObjectNode> beforeSeal) {
    String fromId = id(from);
    String toId = id(to);
    receipt.put("settled_at", tick());
    ObjectNode ratings = receipt.putObject("rating_changes");
    ratings
        .putObject(fromId)
        .put("oldRating", 1200)
        .put("newRating", 1208)
        .put("change", 8)
        .put("transactions", 1);
    ratings
        .putObject(toId)
        .put("oldRating", 1200)
        .put("newRating", 1208)
        .put("change", 8)
        .put("transactions", 1);
    ObjectNode pubkeys = receipt.putObject("pubkeys");
    pubkeys.put(fromId, from.publicKey().pem());
    pubkeys.put(toId, to.publicKey().pem());
    receipt.put("server", server.id());
    ObjectNode prev = receipt.putObject("prev");
    prev.put(fromId, lastHash.get(fromId));
    prev.put(toId, lastHash.get(toId));
    beforeSeal.accept(receipt);
    ReceiptSeal.seal(receipt, server);
    String hash = receipt.get("hash").asText();
    lastHash.put(fromId, hash);
    lastHash.put(toId, hash);
    sealed.add(receipt);
    return receipt;
  }

  private String proposalId() {
    return String.format("prop_%s_%08x", Long.toString(clock, 36), seq * 2654435761L & 0xffffffffL);
  }

  private long tick() {
    clock += 1_000;
    return clock;
  }
}
