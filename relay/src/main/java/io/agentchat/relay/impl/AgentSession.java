package io.agentchat.relay.impl;

import io.agentchat.identity.AgentKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One logged-in agent as the rest of the server sees it: id, display name, presence and the
 * channels it is in. Created at WELCOME, dropped at disconnect. Read from every event loop, so the
 * mutable fields are volatile and the channel set is concurrent; only the owning connection writes
 * name and presence.
 */
final class AgentSession {
  final String id;
  final String wireId;
  final AgentKey key;
  final boolean verified;
  final String address;
  final AgentConnection connection;
  final Set<String> channels = ConcurrentHashMap.newKeySet();
  volatile String name;
  volatile String presence = "online";
  volatile String statusText;

  /**
   * Set once WELCOME is sent and the session's inbox listens. The session is in the directory a
   * moment before (so a second login can displace it), but a frame sent to it then would reach no
   * inbox, or reach the agent before its WELCOME: until this is set, the session counts as offline
   * for DMs, deliveries and look-ups.
   */
  volatile boolean reachable;

  AgentSession(String id, String name, AgentKey key, String address, AgentConnection connection) {
    this.id = id;
    this.wireId = "@" + id;
    this.name = name;
    this.key = key;
    this.verified = key != null;
    this.address = address;
    this.connection = connection;
  }

  /** True for agents that proved a key at login. */
  boolean isPersistent() {
    return key != null;
  }
}
