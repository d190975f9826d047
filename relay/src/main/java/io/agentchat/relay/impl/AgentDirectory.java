package io.agentchat.relay.impl;

import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** Who is online, by bare agent id. Shared by every event loop. */
final class AgentDirectory {
  private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();

  AgentSession get(String bareId) {
    return sessions.get(bareId);
  }

  /**
   * The session of an agent that can be sent frames now (logged in and welcomed), or null.
   *
   * @param id bare id, or wire id with {@code @}
   */
  AgentSession reachable(String id) {
    AgentSession session = sessions.get(id.startsWith("@") ? id.substring(1) : id);
    return session != null && session.reachable ? session : null;
  }

  /** The session of an online agent named by its wire id ({@code @id}), or AGENT_NOT_FOUND. */
  AgentSession online(String wireId) {
    AgentSession session = reachable(wireId);
    if (session == null) {
      throw new ProtocolException(ErrorCode.AGENT_NOT_FOUND, "Agent " + wireId + " not found");
    }
    return session;
  }

  /** Registers a session and returns the one it displaces, if any. */
  AgentSession put(AgentSession session) {
    return sessions.put(session.id, session);
  }

  /** Registers a session only if its id is free (ephemeral ids must not collide). */
  boolean putIfAbsent(AgentSession session) {
    return sessions.putIfAbsent(session.id, session) == null;
  }

  /** Removes the session unless a newer one already replaced it. */
  void remove(AgentSession session) {
    sessions.remove(session.id, session);
  }

  Collection<AgentSession> all() {
    return sessions.values();
  }

  int size() {
    return sessions.size();
  }
}
