package io.agentchat.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * What a daemon says about itself in {@code daemon.json}, rewritten atomically whenever it changes.
 * The file stays after the daemon exits (the agent's id is still useful to the primitives); whether
 * a daemon runs is told by its lock, not by this file.
 *
 * @param pid the daemon's process id
 * @param name the daemon's name
 * @param server the relay URL
 * @param agentId the agent's id with {@code @}, or null before the first login
 * @param agentName the agent's name, or null before the first login
 * @param identity the identity file's absolute path, or null for an ephemeral agent
 * @param port the loopback port of the control socket
 * @param connected true while logged in to the relay
 * @param since when this state began, ms since the epoch
 */
public record DaemonState(
    long pid,
    String name,
    String server,
    String agentId,
    String agentName,
    String identity,
    int port,
    boolean connected,
    long since) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An empty state, for a daemon that never ran. */
  static final DaemonState NONE = new DaemonState(0, null, null, null, null, null, 0, false, 0);

  /** The state {@code files}' daemon last wrote, or {@link #NONE}. */
  public static DaemonState read(DaemonFiles files) throws IOException {
    String text;
    try {
      text = Files.readString(files.state(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return NONE;
    }
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return NONE;
    }
    return new DaemonState(
        n.path("pid").asLong(0),
        n.path("name").asText(null),
        n.path("server").asText(null),
        n.path("agent_id").asText(null),
        n.path("agent_name").asText(null),
        n.path("identity").asText(null),
        n.path("port").asInt(0),
        n.path("connected").asBoolean(false),
        n.path("since").asLong(0));
  }

  void write(DaemonFiles files) throws IOException {
    DaemonFiles.writeAtomically(files.state(), toJson().toString() + "\n");
  }

  /** This state as the JSON object of {@code daemon.json}. */
  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("pid", pid);
    n.put("name", name);
    n.put("server", server);
    n.put("agent_id", agentId);
    n.put("agent_name", agentName);
    n.put("identity", identity);
    n.put("port", port);
    n.put("connected", connected);
    n.put("since", since);
    return n;
  }

  DaemonState connected(String id, String agent, boolean now, long at) {
    return new DaemonState(pid, name, server, id, agent, identity, port, now, at);
  }
}
