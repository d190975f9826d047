package io.agentchat.marketplace.impl;

import io.agentchat.identity.AgentKey;
import io.agentchat.protocol.BusMessages;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent behind a marketplace frame, as the relay vouches for it: wire id, name and, for agents
 * that proved a key at login, that key.
 */
record Caller(String wireId, String id, String name, AgentKey key, String pem) {
  /**
   * Parsed keys by PEM: parsing costs as much as a signature check, and agents send many frames.
   */
  private static final Map<String, AgentKey> KEYS = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_KEYS = 100_000;

  static Caller from(BusMessages.Agent agent) {
    if (agent == null || agent.id() == null) {
      throw ProtocolException.invalid("Request without an agent");
    }
    String wire = agent.id();
    String pem = agent.pubkey();
    return new Caller(
        wire,
        wire.startsWith("@") ? wire.substring(1) : wire,
        agent.name(),
        pem == null ? null : key(pem),
        pem);
  }

  private static AgentKey key(String pem) {
    AgentKey cached = KEYS.get(pem);
    if (cached != null) {
      return cached;
    }
    if (KEYS.size() >= MAX_CACHED_KEYS) {
      KEYS.clear(); // a crude bound; a refill costs one parse per agent
    }
    AgentKey parsed = AgentKey.fromPem(pem);
    KEYS.put(pem, parsed);
    return parsed;
  }

  /** The key, or SIGNATURE_REQUIRED with {@code why} for ephemeral agents. */
  AgentKey requireKey(String why) {
    if (key == null) {
      throw new ProtocolException(ErrorCode.SIGNATURE_REQUIRED, why);
    }
    return key;
  }

  /** Checks a signature by this agent over {@code signingString}. */
  void requireSignature(String signingString, String sig, String why) {
    if (!requireKey(why).verify(signingString, sig)) {
      throw new ProtocolException(ErrorCode.VERIFICATION_FAILED, "Invalid signature");
    }
  }
}
