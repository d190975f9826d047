package io.agentchat.reputation.receipts.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKey;
import io.agentchat.identity.InvalidKeyException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HEAD line that ends an export: its shape, the server key it names, its signature, and whether
 * its count and head hash match the receipts before it. Stateless and thread-safe.
 */
public final class HeadRules {
  private static final Pattern AGENT = Pattern.compile("@[0-9a-f]{16}");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9+/]{86}==");
  private static final Set<String> NOT_SIGNED = Set.of("server_sig");

  private HeadRules() {}

  /**
   * A HEAD as read, before it is compared with the receipts.
   *
   * @param node the HEAD object
   * @param agent the exported agent, or null when unreadable
   * @param count the receipt count it states, or null when unreadable
   * @param head the newest hash it states (null also when it states none; see {@code headKnown})
   * @param headKnown whether {@code head} was readable
   * @param serverKey the key in {@code server_pubkey}, or null when unreadable
   * @param problems what is wrong with it on its own
   */
  public record Head(
      ObjectNode node,
      String agent,
      Long count,
      String head,
      boolean headKnown,
      AgentKey serverKey,
      List<String> problems) {}

  /** Reads a HEAD and checks its shape and that {@code server} is its key's id. */
  public static Head read(ObjectNode node) {
    List<String> problems = new ArrayList<>();
    if (!"HEAD".equals(node.path("type").textValue())) {
      problems.add("HEAD: type must be HEAD");
    }
    String agent = matching(node, "agent", AGENT, "an agent id", problems);
    Long count = null;
    JsonNode countNode = node.get("count");
    if (countNode != null
        && countNode.canConvertToExactIntegral()
        && countNode.canConvertToLong()
        && countNode.longValue() >= 0) {
      count = countNode.longValue();
    } else {
      problems.add("HEAD: count must be a whole number");
    }
    JsonNode headNode = node.get("head");
    boolean headKnown =
        headNode != null
            && (headNode.isNull()
                || headNode.isTextual() && HASH.matcher(headNode.asText()).matches());
    if (!headKnown) {
      problems.add("HEAD: head must be a hash (64 lowercase hex) or null");
    }
    String server = matching(node, "server", AGENT, "an agent id", problems);
    AgentKey serverKey = null;
    JsonNode pem = node.get("server_pubkey");
    try {
      serverKey = AgentKey.fromPem(pem == null ? null : pem.textValue());
      if (server != null && !server.equals("@" + serverKey.agentId())) {
        problems.add(
            "HEAD: server is "
                + server
                + ", but server_pubkey is the key of @"
                + serverKey.agentId());
      }
    } catch (InvalidKeyException e) {
      problems.add("HEAD: server_pubkey is not an Ed25519 public key");
    }
    JsonNode issuedAt = node.get("issued_at");
    if (issuedAt == null || !issuedAt.canConvertToExactIntegral()) {
      problems.add("HEAD: issued_at must be a time in milliseconds");
    }
    matching(node, "server_sig", SIGNATURE, "a padded base64 signature", problems);
    return new Head(
        node,
        agent,
        count,
        headKnown && !headNode.isNull() ? headNode.textValue() : null,
        headKnown,
        serverKey,
        List.copyOf(problems));
  }

  /**
   * Checks a HEAD against the key that must have signed it and the chain read before it.
   *
   * @param head the HEAD as read
   * @param serverKey the key that must have signed it, or null when none is known
   * @param chain the chain of the receipts before it
   * @return what is wrong, in plain words; empty when nothing
   */
  public static List<String> verify(Head head, AgentKey serverKey, ChainTracker chain) {
    List<String> problems = new ArrayList<>(head.problems());
    JsonNode signature = head.node().get("server_sig");
    if (serverKey != null
        && signature != null
        && signature.isTextual()
        && SIGNATURE.matcher(signature.textValue()).matches()) {
      byte[] signed;
      try {
        signed = Jcs.canonicalUtf8Without(head.node(), NOT_SIGNED);
      } catch (IllegalArgumentException e) {
        signed = null;
        problems.add("HEAD " + e.getMessage());
      }
      if (signed != null
          && !serverKey.verify(signed, Base64.getDecoder().decode(signature.textValue()))) {
        problems.add("HEAD: server_sig does not verify for the server @" + serverKey.agentId());
      }
    }
    if (head.count() != null && head.count() != chain.count()) {
      problems.add(
          "HEAD counts "
              + head.count()
              + " receipts of "
              + head.agent()
              + ", the file has "
              + chain.count());
    }
    if (head.headKnown()
        && chain.lastHashKnown()
        && !Objects.equals(head.head(), chain.lastHash())) {
      problems.add(
          "HEAD names "
              + Show.hash(head.head())
              + " as the newest receipt, but the last receipt in the file is "
              + Show.hash(chain.lastHash()));
    }
    return problems;
  }

  private static String matching(
      ObjectNode node, String name, Pattern pattern, String what, List<String> problems) {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual() || !pattern.matcher(value.textValue()).matches()) {
      problems.add("HEAD: " + name + " must be " + what);
      return null;
    }
    return value.textValue();
  }
}
