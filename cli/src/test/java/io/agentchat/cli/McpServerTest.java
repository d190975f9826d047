package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.LocalMarketplace;
import io.agentchat.identity.Identity;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentchat mcp} end to end: the SDK's own MCP client launches the command as a real {@code
 * java} process over stdio, against a real server with its marketplace.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class McpServerTest {
  private static LocalMarketplace market;
  private final ObjectMapper json = new ObjectMapper();
  private final List<McpSyncClient> clients = new ArrayList<>();
  private final Map<McpSyncClient, String> ids = new java.util.HashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void startMarketplace(@TempDir Path dataDir) throws Exception {
    market = LocalMarketplace.start(dataDir);
  }

  @AfterAll
  static void stopMarketplace() throws Exception {
    market.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(McpSyncClient::closeGracefully);
  }

  /** An MCP session of a new agent: a java process running {@code agentchat mcp}. */
  private McpSyncClient session(String name) throws Exception {
    Path file = dir.resolve(name + ".json");
    Identity identity = Identity.generate(name);
    identity.save(file);
    return session(identity, file);
  }

  /** An MCP session acting as {@code identity}, saved in {@code file}. */
  private McpSyncClient session(Identity identity, Path file) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters command =
        ServerParameters.builder(java)
            .args(
                "-cp",
                System.getProperty("java.class.path"),
                AgentChatCommand.class.getName(),
                "mcp",
                market.url(),
                "--identity",
                file.toString())
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(command, new JacksonMcpJsonMapper(json)))
            .requestTimeout(Duration.ofSeconds(90))
            .initializationTimeout(Duration.ofSeconds(90))
            .build();
    clients.add(client);
    ids.put(client, "@" + identity.agentId());
    client.initialize();
    return client;
  }

  private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  private static String text(CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private JsonNode ok(McpSyncClient client, String tool, Map<String, Object> args)
      throws Exception {
    CallToolResult result = call(client, tool, args);
    assertFalse(Boolean.TRUE.equals(result.isError()), tool + " failed: " + text(result));
    String text = text(result);
    return text.startsWith("{") || text.startsWith("[") ? json.readTree(text) : null;
  }

  /** Reads until a frame of {@code type} arrives (each read waits at most 20 s). */
  private JsonNode readUntil(McpSyncClient client, String type) throws Exception {
    for (int round = 0; round < 5; round++) {
      JsonNode messages = ok(client, "read_messages", Map.of("wait_seconds", 20));
      for (JsonNode frame : messages) {
        if (type.equals(frame.path("type").asText())) {
          return frame;
        }
      }
    }
    throw new AssertionError("No " + type + " arrived");
  }

  @Test
  void initializeGivesTheSafetyRulesAndToolsListNamesEveryTool() throws Exception {
    McpSyncClient alice = session("alice");

    String instructions = alice.getServerInstructions();
    List<String> tools =
        alice.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();

    assertTrue(instructions.contains("You do not have to answer every message"), instructions);
    assertTrue(instructions.contains("bounded"), instructions);
    assertEquals(
        List.of(
            "accept",
            "announce_skills",
            "complete",
            "create_channel",
            "dispute",
            "export_receipts",
            "get_rating",
            "invite",
            "join_channel",
            "list_agents",
            "list_channels",
            "list_proposals",
            "propose",
            "read_messages",
            "reject",
            "search_skills",
            "send_message"),
        tools);
    McpSchema.Tool send =
        alice.listTools().tools().stream()
            .filter(t -> t.name().equals("send_message"))
            .findFirst()
            .orElseThrow();
    assertEquals(List.of("to", "content"), send.inputSchema().get("required"));
  }

  @Test
  void aSessionForAnIdentityWithADaemonGoesThroughTheDaemon() throws Exception {
    Path file = dir.resolve("dana.json");
    Identity dana = Identity.generate("dana");
    dana.save(file);
    String home = dir.resolve(".agentchat").toString();
    CliRun daemon =
        CliRun.inBackground(
            "daemon", market.url(), "--name", "dana", "--home", home, "-i", file.toString());
    try {
      daemon.err.awaitContains("connected to", Duration.ofSeconds(60));
      Path state = dir.resolve(".agentchat/daemons/dana/daemon.json");
      String since = java.nio.file.Files.readString(state);
      McpSyncClient viaDaemon = session(dana, file);
      McpSyncClient erin = session("erin");

      ok(viaDaemon, "send_message", Map.of("to", "#general", "content", "from dana's daemon"));
      JsonNode heard = readUntil(erin, "MSG");

      assertEquals("from dana's daemon", heard.get("content").asText());
      assertEquals("@" + dana.agentId(), heard.get("from").asText());
      assertEquals(since, java.nio.file.Files.readString(state), "the daemon was not displaced");
    } finally {
      CliRun.run("daemon", "--stop-all", "--home", home);
      daemon.exitCode().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoSessionsChatAndMakeADealAndRefusalsComeBackAsToolErrors() throws Exception {
    McpSyncClient alice = session("alice");
    McpSyncClient bob = session("bob");
    String bobId = ids.get(bob);

    ok(alice, "send_message", Map.of("to", "#general", "content", "anyone for a review?"));
    JsonNode heard = readUntil(bob, "MSG");
    assertEquals("anyone for a review?", heard.get("content").asText());
    assertEquals(0, ok(alice, "read_messages", Map.of()).size(), "own messages are left out");

    JsonNode proposal =
        ok(alice, "propose", Map.of("to", bobId, "task", "review PR 7", "amount", 5));
    String id = proposal.get("id").asText();
    JsonNode offered = readUntil(bob, "PROPOSAL");
    assertEquals(id, offered.get("id").asText());
    ok(bob, "accept", Map.of("proposal_id", id));
    JsonNode completed = ok(alice, "complete", Map.of("proposal_id", id, "proof", "merged"));
    assertEquals("completed", completed.get("status").asText());
    JsonNode list = ok(bob, "list_proposals", Map.of("status", "completed"));
    assertEquals(id, list.get("list").get(0).get("id").asText());
    JsonNode rating = ok(bob, "get_rating", Map.of());
    assertEquals(bobId, rating.get("id").asText());

    CallToolResult refused = call(bob, "accept", Map.of("proposal_id", "prop_nope_00000000"));
    assertTrue(refused.isError());
    assertTrue(text(refused).startsWith("PROPOSAL_NOT_FOUND: "), text(refused));
    CallToolResult bad = call(bob, "send_message", Map.of("to", "#general"));
    assertTrue(bad.isError());
    // The SDK checks arguments against the tool's schema before the tool runs.
    assertTrue(text(bad).contains("required property 'content' not found"), text(bad));
  }
}
