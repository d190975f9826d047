package io.agentchat.reputation.receipts.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentIds;
import io.agentchat.identity.AgentKey;
import io.agentchat.identity.InvalidKeyException;
import io.agentchat.protocol.SigningStrings;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The checks one receipt passes on its own (RECEIPTS.md): shape and members per type, every id
 * against its key, every party signature, the hash and the server's signature. Thread-safe: one
 * instance serves every worker of a verification.
 */
public final class ReceiptRules {
  private static final Pattern AGENT = Pattern.compile("@[0-9a-f]{16}");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** 64 bytes in standard base64 with padding, the only form receipts carry. */
  private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9+/]{86}==");

  /**
   * Integers beyond 2^53 do not survive JavaScript's parser, so no verifier could agree on them.
   */
  private static final double MAX_SAFE_INTEGER = 0x1p53 - 1;

  private static final Set<String> NOT_HASHED = Set.of("hash", "server_sig");
  private static final Set<String> NOT_SIGNED = Set.of("server_sig");

  private final AgentKey serverKey;
  private final String serverId;
  private final KeyCache keys;

  /**
   * Rules for receipts sealed by {@code serverKey}.
   *
   * @param serverKey the key whose signature each receipt must carry, or null to leave {@code
   *     server_sig} unchecked (the caller reports why)
   * @param keys the cache of parsed party keys, shared by the workers
   */
  public ReceiptRules(AgentKey serverKey, KeyCache keys) {
    this.serverKey = serverKey;
    this.serverId = serverKey == null ? null : "@" + serverKey.agentId();
    this.keys = keys;
  }

  /** Checks one parsed record: a receipt, or a HEAD line met among them. */
  public CheckedReceipt check(JsonNode record) {
    if (!record.isObject()) {
      return CheckedReceipt.unreadable("not a JSON object");
    }
    ObjectNode receipt = (ObjectNode) record;
    if ("HEAD".equals(receipt.path("type").textValue())) {
      return CheckedReceipt.headLine();
    }
    return new Check(receipt).run();
  }

  /** The state of checking one receipt: what was read and what is wrong so far. */
  private final class Check {
    private final ObjectNode receipt;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> bad = new HashSet<>();
    private final Map<String, AgentKey> partyKeys = new HashMap<>();

    Check(ObjectNode receipt) {
      this.receipt = receipt;
    }

    CheckedReceipt run() {
      String type = string("type");
      if (type != null && !type.equals("COMPLETE") && !type.equals("DISPUTE")) {
        problem("type", "type must be COMPLETE or DISPUTE, not " + quote(type));
        type = null;
      }
      Long seq = integer("seq", false);
      if (seq != null && seq < 0) {
        problem("seq", "seq must not be negative");
      }
      String id = nonEmpty("proposal_id");
      String from = agent("from", false);
      String to = agent("to", false);
      checkDeal(id, from, to);
      if ("COMPLETE".equals(type)) {
        checkCompletion(id, from, to);
      } else if ("DISPUTE".equals(type)) {
        checkDispute(id, from, to);
      }
      integer("settled_at", false);
      object("rating_changes", true);
      if (receipt.has("payment")) {
        object("payment", false);
      }
      agent("server", false);
      Map<String, String> prev = prev(from, to);
      checkSeal();
      JsonNode stated = receipt.get("hash");
      // A hash that does not match the content still links the chain: the next receipt names it.
      String hash =
          stated != null && stated.isTextual() && isHash(stated.textValue())
              ? stated.textValue()
              : null;
      return new CheckedReceipt(
          CheckedReceipt.Kind.RECEIPT, id, from, to, seq, hash, prev, List.copyOf(problems));
    }

    /** The proposal and its acceptance, common to both types. */
    private void checkDeal(String id, String from, String to) {
      String task = string("task");
      nullable("capability", JsonNode::isTextual, "a string");
      nullable("amount", ReceiptRules::isFiniteNumber, "a number");
      nullable("currency", JsonNode::isTextual, "a string");
      nullable("payment_code", JsonNode::isTextual, "a string");
      nullable("expires", ReceiptRules::isFiniteNumber, "a number");
      nullable("elo_stake", ReceiptRules::isSafeInteger, "an integer");
      String proposalSig = signature("proposal_sig", false);
      nullable("accept_payment_code", JsonNode::isTextual, "a string");
      nullable("accept_elo_stake", ReceiptRules::isSafeInteger, "an integer");
      String acceptSig = signature("accept_sig", false);
      readPubkeys(from, to);
      if (valid("to", "task", "amount", "currency", "payment_code", "expires", "elo_stake")) {
        verifyParty(
            "proposal_sig",
            from,
            SigningStrings.proposal(
                to,
                task,
                receipt.get("amount"),
                receipt.get("currency"),
                receipt.get("payment_code"),
                receipt.get("expires"),
                receipt.get("elo_stake")),
            proposalSig);
      }
      if (valid("proposal_id", "accept_payment_code", "accept_elo_stake")) {
        verifyParty(
            "accept_sig",
            to,
            SigningStrings.accept(
                id, receipt.get("accept_payment_code"), receipt.get("accept_elo_stake")),
            acceptSig);
      }
    }

    private void checkCompletion(String id, String from, String to) {
      String completedBy = party("completed_by", from, to, false);
      integer("completed_at", false);
      nullable("proof", JsonNode::isTextual, "a string");
      String completionSig = signature("completion_sig", false);
      if (valid("proposal_id", "proof")) {
        verifyParty(
            "completion_sig",
            completedBy,
            SigningStrings.complete(id, receipt.get("proof")),
            completionSig);
      }
    }

    private void checkDispute(String id, String from, String to) {
      String disputedBy = party("disputed_by", from, to, false);
      integer("disputed_at", false);
      String reason = nonEmpty("reason");
      String disputeSig = signature("dispute_sig", false);
      if (valid("proposal_id", "reason")) {
        verifyParty("dispute_sig", disputedBy, SigningStrings.dispute(id, reason), disputeSig);
      }
      String contestedBy = party("contested_by", from, to, true);
      Long contestedAt = integer("contested_at", true);
      JsonNode contestReasonNode = nullable("contest_reason", JsonNode::isTextual, "a string");
      String contestReason = contestReasonNode == null ? null : contestReasonNode.textValue();
      String contestSig = signature("contest_sig", true);
      String settlement = string("settlement");
      if (settlement != null && !settlement.equals("unilateral") && !settlement.equals("mutual")) {
        problem("settlement", "settlement must be unilateral or mutual, not " + quote(settlement));
      }
      if (!valid("contested_by", "contested_at", "contest_reason", "contest_sig")) {
        return;
      }
      int set = 0;
      for (Object member : new Object[] {contestedBy, contestedAt, contestReason, contestSig}) {
        set += member == null ? 0 : 1;
      }
      if (set != 0 && set != 4) {
        problem(
            "contested_by",
            "contested_by, contested_at, contest_reason and contest_sig must be all set or all"
                + " null");
        return;
      }
      boolean contested = set == 4;
      if (settlement != null && settlement.equals("mutual") != contested) {
        problem(
            "settlement",
            contested
                ? "settlement is unilateral, but the dispute was contested"
                : "settlement is mutual, but nobody contested the dispute");
      }
      if (!contested) {
        return;
      }
      if (contestedBy.equals(disputedBy)) {
        problem("contested_by", "contested_by is the disputing party " + disputedBy);
      }
      if (contestReason.isEmpty()) {
        problem("contest_reason", "contest_reason must not be empty");
      } else if (valid("proposal_id")) {
        verifyParty(
            "contest_sig", contestedBy, SigningStrings.dispute(id, contestReason), contestSig);
      }
    }

    /** Reads {@code pubkeys}: exactly the parties' keys, each under its own id. */
    private void readPubkeys(String from, String to) {
      ObjectNode pubkeys = object("pubkeys", false);
      if (pubkeys == null) {
        return;
      }
      Set<String> parties = new HashSet<>();
      for (String party : new String[] {from, to}) {
        if (party != null) {
          parties.add(party);
        }
      }
      for (Map.Entry<String, JsonNode> entry : pubkeys.properties()) {
        String owner = entry.getKey();
        if (!entry.getValue().isTextual()) {
          problem("pubkeys", "pubkeys[" + owner + "] must be a PEM string");
          continue;
        }
        AgentKey key;
        try {
          key = keys.get(entry.getValue().textValue());
        } catch (InvalidKeyException e) {
          problem("pubkeys", "pubkeys[" + owner + "] is not an Ed25519 public key");
          continue;
        }
        String keyId = AgentIds.wire(key.agentId());
        if (!keyId.equals(owner)) {
          problem("pubkeys", "pubkeys[" + owner + "] is the key of " + keyId + ", not " + owner);
        } else if (!parties.contains(owner) && !bad.contains("from") && !bad.contains("to")) {
          problem("pubkeys", "pubkeys has a key for " + owner + ", who is not a party");
        } else {
          partyKeys.put(owner, key);
        }
      }
      for (String party : parties) {
        if (!pubkeys.has(party)) {
          problem("pubkeys", "pubkeys has no key for " + party);
        }
      }
    }

    /** Reads {@code prev}: exactly the parties, each a hash or null. */
    private Map<String, String> prev(String from, String to) {
      ObjectNode prev = object("prev", false);
      if (prev == null || from == null || to == null) {
        return null;
      }
      Map<String, String> hashes = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : prev.properties()) {
        String party = entry.getKey();
        JsonNode value = entry.getValue();
        if (!party.equals(from) && !party.equals(to)) {
          problem("prev", "prev has an entry for " + party + ", who is not a party");
        } else if (!value.isNull() && !(value.isTextual() && isHash(value.textValue()))) {
          problem("prev", "prev[" + party + "] must be a hash (64 lowercase hex) or null");
        } else {
          hashes.put(party, value.textValue());
        }
      }
      for (String party : new String[] {from, to}) {
        if (!prev.has(party)) {
          problem("prev", "prev has no entry for " + party);
        }
      }
      return bad.contains("prev") ? null : hashes;
    }

    /** The content hash and the server's signature. */
    private void checkSeal() {
      JsonNode stated = receipt.get("hash");
      if (stated == null) {
        problem("hash", "missing member hash");
      } else if (!stated.isTextual() || !isHash(stated.textValue())) {
        problem("hash", "hash must be 64 lowercase hex characters");
      }
      String serverSig = signature("server_sig", false);
      byte[] hashed;
      try {
        hashed = Jcs.canonicalUtf8Without(receipt, NOT_HASHED);
      } catch (IllegalArgumentException e) {
        problem("hash", "the receipt " + e.getMessage());
        return;
      }
      if (!bad.contains("hash")) {
        String computed = Jcs.sha256Hex(hashed);
        if (!computed.equals(stated.textValue())) {
          problem(
              "hash",
              "hash does not match the content: stated "
                  + Show.hash(stated.textValue())
                  + ", computed "
                  + Show.hash(computed));
        }
      }
      if (serverKey == null || bad.contains("server")) {
        return;
      }
      String server = receipt.get("server").textValue();
      if (!server.equals(serverId)) {
        problem("server", "sealed by " + server + ", not by the server " + serverId);
      } else if (serverSig != null
          && !bad.contains("hash")
          && !serverKey.verify(Jcs.canonicalUtf8Without(receipt, NOT_SIGNED), decode(serverSig))) {
        problem("server_sig", "server_sig does not verify for the server " + serverId);
      }
    }

    private void verifyParty(String member, String signer, String signed, String signature) {
      if (signer == null || signature == null) {
        return;
      }
      AgentKey key = partyKeys.get(signer);
      if (key == null) {
        // Already reported: the key is missing or does not belong to the signer.
        return;
      }
      if (!key.verify(signed, signature)) {
        problem(member, member + " does not verify for " + signer);
      }
    }

    // Readers: each returns the value, or null after recording what is wrong with it.

    private String string(String name) {
      JsonNode value = member(name);
      if (value == null) {
        return null;
      }
      if (!value.isTextual()) {
        problem(name, name + " must be a string");
        return null;
      }
      return value.textValue();
    }

    private String nonEmpty(String name) {
      String value = string(name);
      if (value != null && value.isEmpty()) {
        problem(name, name + " must not be empty");
        return null;
      }
      return value;
    }

    /** A member that may be null; returns the non-null value or null. */
    private JsonNode nullable(String name, Predicate<JsonNode> ok, String what) {
      JsonNode value = member(name);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!ok.test(value)) {
        problem(name, name + " must be " + what + " or null");
        return null;
      }
      return value;
    }

    private Long integer(String name, boolean orNull) {
      JsonNode value = member(name);
      if (value == null || (orNull && value.isNull())) {
        return null;
      }
      if (!isSafeInteger(value)) {
        problem(name, name + " must be an integer" + (orNull ? " or null" : ""));
        return null;
      }
      return value.longValue();
    }

    private String agent(String name, boolean orNull) {
      JsonNode value = member(name);
      if (value == null || (orNull && value.isNull())) {
        return null;
      }
      if (!value.isTextual() || !AGENT.matcher(value.textValue()).matches()) {
        problem(
            name, name + " must be an agent id (@ and 16 hex digits)" + (orNull ? " or null" : ""));
        return null;
      }
      return value.textValue();
    }

    /** An agent id that must be one of the parties. */
    private String party(String name, String from, String to, boolean orNull) {
      String agent = agent(name, orNull);
      if (agent != null && from != null && to != null && !agent.equals(from) && !agent.equals(to)) {
        problem(name, name + " " + agent + " is not a party to the deal");
        return null;
      }
      return agent;
    }

    private String signature(String name, boolean orNull) {
      JsonNode value = member(name);
      if (value == null || (orNull && value.isNull())) {
        return null;
      }
      if (!value.isTextual() || !SIGNATURE.matcher(value.textValue()).matches()) {
        problem(name, name + " must be a 64-byte signature in padded standard base64");
        return null;
      }
      return value.textValue();
    }

    private ObjectNode object(String name, boolean orNull) {
      JsonNode value = member(name);
      if (value == null || (orNull && value.isNull())) {
        return null;
      }
      if (!value.isObject()) {
        problem(name, name + " must be an object" + (orNull ? " or null" : ""));
        return null;
      }
      return (ObjectNode) value;
    }

    /** The member, or null after recording that it is missing. */
    private JsonNode member(String name) {
      JsonNode value = receipt.get(name);
      if (value == null) {
        problem(name, "missing member " + name);
      }
      return value;
    }

    /** Whether none of the named members was found wrong. */
    private boolean valid(String... names) {
      for (String name : names) {
        if (bad.contains(name)) {
          return false;
        }
      }
      return true;
    }

    private void problem(String member, String message) {
      bad.add(member);
      problems.add(message);
    }
  }

  private static boolean isFiniteNumber(JsonNode value) {
    return value.isNumber() && Double.isFinite(value.doubleValue());
  }

  private static boolean isSafeInteger(JsonNode value) {
    if (!value.isNumber()) {
      return false;
    }
    double d = value.doubleValue();
    return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER;
  }

  private static boolean isHash(String text) {
    return text != null && HASH.matcher(text).matches();
  }

  private static byte[] decode(String signature) {
    return Base64.getDecoder().decode(signature);
  }

  private static String quote(String text) {
    return "\"" + Show.clip(text) + "\"";
  }
}
