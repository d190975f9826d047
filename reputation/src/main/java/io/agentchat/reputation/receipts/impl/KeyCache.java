package io.agentchat.reputation.receipts.impl;

import io.agentchat.identity.AgentKey;
import io.agentchat.identity.InvalidKeyException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed public keys by PEM text. An agent's chain names the agent's own key in every receipt and a
 * counterparty's in each of their deals; decoding and validating a key costs about as much as
 * verifying a signature, so each is parsed once. Bounded: past {@link #MAX_KEYS} entries the cache
 * starts over. Thread-safe.
 */
public final class KeyCache {
  /** Enough for every counterparty of a busy agent; a few MB at most. */
  static final int MAX_KEYS = 10_000;

  private final ConcurrentHashMap<String, Object> keys = new ConcurrentHashMap<>();

  /**
   * The key a PEM holds.
   *
   * @throws InvalidKeyException if the text is not an Ed25519 public key PEM
   */
  public AgentKey get(String pem) {
    Object known = keys.get(pem);
    if (known == null) {
      known = parse(pem);
      if (keys.size() >= MAX_KEYS) {
        keys.clear();
      }
      keys.put(pem, known);
    }
    if (known instanceof InvalidKeyException invalid) {
      throw new InvalidKeyException(invalid.getMessage());
    }
    return (AgentKey) known;
  }

  private static Object parse(String pem) {
    try {
      return AgentKey.fromPem(pem);
    } catch (InvalidKeyException e) {
      return e;
    }
  }
}
