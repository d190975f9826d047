package io.agentchat.reputation.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.reputation.receipts.impl.Jcs;
import java.util.Objects;
import java.util.Set;

/**
 * Seals receipts and signs export HEADs (RECEIPTS.md). A receipt's {@code hash} is the SHA-256
 * (lowercase hex) of the RFC 8785 canonical JSON of the receipt without {@code hash} and {@code
 * server_sig}; its {@code server_sig} is the server key's Ed25519 signature (standard base64) over
 * the canonical JSON of the receipt without {@code server_sig}, so it covers the hash too.
 *
 * <p>Stateless and thread-safe. Canonicalizing and signing take tens of microseconds: fine on an
 * event loop for one receipt, not for a batch.
 */
public final class ReceiptSeal {
  /** The receipt member holding the content hash. */
  public static final String HASH = "hash";

  /** The receipt and HEAD member holding the server's signature. */
  public static final String SERVER_SIG = "server_sig";

  private static final Set<String> NOT_HASHED = Set.of(HASH, SERVER_SIG);
  private static final Set<String> NOT_SIGNED = Set.of(SERVER_SIG);

  private ReceiptSeal() {}

  /**
   * The content hash of a receipt: SHA-256 hex of the canonical JSON of every member except {@code
   * hash} and {@code server_sig}, whether or not they are present.
   *
   * @throws IllegalArgumentException if the receipt has no canonical form (a non-finite number or a
   *     lone surrogate in a string)
   */
  public static String hash(ObjectNode receipt) {
    return Jcs.sha256Hex(Jcs.canonicalUtf8Without(receipt, NOT_HASHED));
  }

  /**
   * Seals a receipt in place: appends {@code hash}, then {@code server_sig}, and returns the same
   * object. The receipt must already carry {@code server} (this key's id) and {@code prev}.
   *
   * @param unsealed every member of the receipt except {@code hash} and {@code server_sig}
   * @param key the server key
   * @return {@code unsealed}, now sealed
   * @throws IllegalArgumentException if the receipt is already sealed, lacks {@code prev}, names
   *     another server, or has no canonical form
   */
  public static ObjectNode seal(ObjectNode unsealed, ServerKey key) {
    Objects.requireNonNull(unsealed, "unsealed");
    Objects.requireNonNull(key, "key");
    if (unsealed.has(HASH) || unsealed.has(SERVER_SIG)) {
      throw new IllegalArgumentException("receipt is already sealed");
    }
    if (!unsealed.path("prev").isObject()) {
      throw new IllegalArgumentException("receipt has no prev object");
    }
    JsonNode server = unsealed.get("server");
    if (server == null || !key.id().equals(server.textValue())) {
      throw new IllegalArgumentException(
          "receipt's server is " + server + ", but the sealing key is " + key.id());
    }
    unsealed.put(HASH, hash(unsealed));
    unsealed.put(SERVER_SIG, key.signBase64(Jcs.canonicalUtf8Without(unsealed, NOT_SIGNED)));
    return unsealed;
  }

  /**
   * The signed last line of an export: {@code {"type":"HEAD","agent","count","head","server",
   * "server_pubkey","issued_at","server_sig"}}, the signature covering the canonical JSON of the
   * other members.
   *
   * @param agent the exported agent, {@code "@"} + id
   * @param count how many receipts the export holds
   * @param head the hash of the agent's newest receipt on this server, or null when it has none
   * @param issuedAt when the export was made (ms)
   * @param key the server key
   * @return a new HEAD object
   */
  public static ObjectNode head(
      String agent, long count, String head, long issuedAt, ServerKey key) {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(key, "key");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("type", "HEAD");
    line.put("agent", agent);
    line.put("count", count);
    line.put("head", head);
    line.put("server", key.id());
    line.put("server_pubkey", key.publicKeyPem());
    line.put("issued_at", issuedAt);
    line.put(SERVER_SIG, key.signBase64(Jcs.canonicalUtf8(line)));
    return line;
  }
}
