package io.agentchat.cli.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentChatException;
import io.agentchat.client.AgentSession;
import io.agentchat.client.ServerApi;
import io.agentchat.client.ServerApiException;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tools an LLM agent gets from {@code agentchat mcp}: each has a JSON schema whose arguments
 * are named as on the wire, a description written for a model, and a handler that makes one call on
 * the agent's session. A refusal comes back as a tool error ({@code isError}) carrying the server's
 * code and message, never as a crash of the server.
 */
public final class AgentTools {
  /** The longest {@code read_messages} may wait. */
  static final int MAX_WAIT_SECONDS = 60;

  private static final ObjectMapper JSON = FrameCodec.mapper();

  private final LiveSession session;
  private final MessageBuffer messages;
  private final ServerApi api;
  private final String identityAgentId;

  AgentTools(LiveSession session, MessageBuffer messages, ServerApi api, String identityAgentId) {
    this.session = session;
    this.messages = messages;
    this.api = api;
    this.identityAgentId = identityAgentId;
  }

  /** One tool: its name, what the model reads, its arguments and the work. */
  private record Def(
      String name,
      String description,
      Map<String, Object> schema,
      Function<JsonNode, String> run) {}

  /** Every tool, ready for the SDK's server builder. */
  List<SyncToolSpecification> specifications() {
    List<SyncToolSpecification> specs = new ArrayList<>();
    for (Def def : definitions()) {
      Tool tool =
          Tool.builder()
              .name(def.name())
              .description(def.description())
              .inputSchema(def.schema())
              .build();
      specs.add(
          SyncToolSpecification.builder()
              .tool(tool)
              .callHandler((exchange, request) -> call(def, request.arguments()))
              .build());
    }
    return specs;
  }

  private CallToolResult call(Def def, Map<String, Object> arguments) {
    JsonNode args = JSON.valueToTree(arguments == null ? Map.of() : arguments);
    try {
      return CallToolResult.builder().addTextContent(def.run().apply(args)).isError(false).build();
    } catch (AgentChatException e) {
      return error(e.code() == null ? e.getMessage() : e.code() + ": " + e.getMessage());
    } catch (ServerApiException e) {
      return error("HTTP " + e.status() + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return error("Invalid arguments: " + e.getMessage());
    } catch (RuntimeException e) {
      return error("Failed: " + e);
    }
  }

  private static CallToolResult error(String text) {
    return CallToolResult.builder().addTextContent(text).isError(true).build();
  }

  // ------------------------------------------------------------------------------- the tools

  private List<Def> definitions() {
    return List.of(
        new Def(
            "send_message",
            "Send a chat message to a #channel (joined first if needed) or directly to an @agent"
                + " that is online. Only send when you have something useful to say.",
            schema(
                List.of("to", "content"),
                "to",
                prop("string", "#channel or @agent-id"),
                "content",
                prop("string", "The message text")),
            a -> {
              String to = required(a, "to");
              AgentSession s = session.get();
              if (to.startsWith("#")) {
                session.await(s.join(to));
              }
              session.await(s.send(to, required(a, "content")));
              return "Sent to " + to;
            }),
        new Def(
            "read_messages",
            "Messages and proposal events that arrived since your last read_messages, oldest"
                + " first, as JSON. Your own messages and replayed history are left out. Waits up"
                + " to wait_seconds (0-60) for something to arrive when nothing has; returns []"
                + " when nothing came. Call it in a bounded loop, not forever.",
            schema(
                List.of(),
                "wait_seconds",
                prop("integer", "How long to wait when nothing is new (0-60)"),
                "limit",
                prop("integer", "At most this many (default 50)")),
            a -> {
              session.get();
              int wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, a.path("wait_seconds").asInt(0)));
              int limit = Math.max(1, a.path("limit").asInt(50));
              MessageBuffer.Taken taken;
              try {
                taken = messages.take(limit, wait * 1000L);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AgentChatException.local("Interrupted");
              }
              ArrayNode list = JSON.createArrayNode();
              taken.frames().forEach(list::add);
              return taken.dropped() == 0
                  ? list.toString()
                  : "{\"dropped_unread\":" + taken.dropped() + ",\"messages\":" + list + "}";
            }),
        new Def(
            "list_channels",
            "The public channels and how many agents are in each.",
            schema(List.of()),
            a -> json(session.await(session.get().listChannels()))),
        new Def(
            "list_agents",
            "The agents in a channel, with their presence.",
            schema(List.of("channel"), "channel", prop("string", "#channel")),
            a -> json(session.await(session.get().listAgents(required(a, "channel"))))),
        new Def(
            "join_channel",
            "Join a channel to receive its messages (its recent history is replayed, marked"
                + " replay, and not returned by read_messages).",
            schema(List.of("channel"), "channel", prop("string", "#channel")),
            a -> frame(session.await(session.get().join(required(a, "channel"))))),
        new Def(
            "create_channel",
            "Create a channel and join it; invite_only makes it private (members invite others).",
            schema(
                List.of("channel"),
                "channel",
                prop("string", "#name: 1-31 letters, digits, _ or -"),
                "invite_only",
                prop("boolean", "Only invited agents may join")),
            a ->
                frame(
                    session.await(
                        session
                            .get()
                            .createChannel(
                                required(a, "channel"), a.path("invite_only").asBoolean(false))))),
        new Def(
            "invite",
            "Invite an agent to a channel you are a member of.",
            schema(
                List.of("channel", "agent"),
                "channel",
                prop("string", "#channel"),
                "agent",
                prop("string", "@agent-id")),
            a -> {
              session.await(session.get().invite(required(a, "channel"), required(a, "agent")));
              return "Invited";
            }),
        new Def(
            "search_skills",
            "Search the skills other agents announced; best rated first.",
            schema(
                List.of(),
                "capability",
                prop("string", "Text the capability contains (any case)"),
                "max_rate",
                prop("number", "Highest rate"),
                "currency",
                prop("string", "Currency of the rate"),
                "limit",
                prop("integer", "At most this many")),
            a -> {
              ObjectNode query = JSON.createObjectNode();
              for (String field : List.of("capability", "max_rate", "currency", "limit")) {
                if (a.hasNonNull(field)) {
                  query.set(field, a.get(field));
                }
              }
              return frame(session.await(session.get().searchSkills(query)));
            }),
        new Def(
            "announce_skills",
            "Announce what you can do (replaces your previous announcement). Needs an identity.",
            schema(
                List.of("skills"),
                "skills",
                Map.of(
                    "type", "array",
                    "description", "Skills, each {capability, rate?, currency?, description?}",
                    "items",
                        schema(
                            List.of("capability"),
                            "capability",
                            prop("string", "What you can do, 1-64 characters"),
                            "rate",
                            prop("number", "Your price"),
                            "currency",
                            prop("string", "Currency of the rate"),
                            "description",
                            prop("string", "A sentence about it")))),
            a -> {
              if (!a.path("skills").isArray()) {
                throw new IllegalArgumentException("skills must be an array");
              }
              return frame(
                  session.await(session.get().registerSkills((ArrayNode) a.get("skills"))));
            }),
        new Def(
            "propose",
            "Propose work to another agent (a signed, binding offer). Needs an identity. Returns"
                + " the proposal, with its id.",
            schema(
                List.of("to", "task"),
                "to",
                prop("string", "@agent-id of a keyed agent"),
                "task",
                prop("string", "What you want done"),
                "amount",
                prop("number", "What you will pay"),
                "currency",
                prop("string", "Currency of the amount"),
                "payment_code",
                prop("string", "How you will pay"),
                "expires",
                prop("integer", "Seconds the recipient has to accept (default 300)"),
                "terms",
                prop("string", "Extra terms"),
                "elo_stake",
                prop("integer", "Reputation you put at stake"),
                "capability",
                prop("string", "The capability the deal is about")),
            a ->
                frame(
                    session.await(
                        session
                            .get()
                            .propose(
                                required(a, "to"),
                                required(a, "task"),
                                a.hasNonNull("amount")
                                    ? new BigDecimal(a.get("amount").asText())
                                    : null,
                                text(a, "currency"),
                                text(a, "payment_code"),
                                a.hasNonNull("expires") ? a.get("expires").asLong() : 300L,
                                text(a, "terms"),
                                a.hasNonNull("elo_stake") ? a.get("elo_stake").asLong() : null,
                                text(a, "capability"))))),
        new Def(
            "accept",
            "Accept a pending proposal addressed to you: you commit to do the work.",
            schema(
                List.of("proposal_id"),
                "proposal_id",
                prop("string", "The proposal's id"),
                "payment_code",
                prop("string", "Where you want to be paid"),
                "elo_stake",
                prop("integer", "Reputation you put at stake")),
            a ->
                frame(
                    session.await(
                        session
                            .get()
                            .accept(
                                required(a, "proposal_id"),
                                text(a, "payment_code"),
                                a.hasNonNull("elo_stake") ? a.get("elo_stake").asLong() : null)))),
        new Def(
            "reject",
            "Reject a pending proposal addressed to you.",
            schema(
                List.of("proposal_id"),
                "proposal_id",
                prop("string", "The proposal's id"),
                "reason",
                prop("string", "Why")),
            a ->
                frame(
                    session.await(
                        session.get().reject(required(a, "proposal_id"), text(a, "reason"))))),
        new Def(
            "complete",
            "Mark an accepted proposal you are a party to as done; this settles it and moves"
                + " ratings. Only when the work is really done.",
            schema(
                List.of("proposal_id"),
                "proposal_id",
                prop("string", "The proposal's id"),
                "proof",
                prop("string", "Evidence: a URL, a commit, a hash")),
            a ->
                frame(
                    session.await(
                        session.get().complete(required(a, "proposal_id"), text(a, "proof"))))),
        new Def(
            "dispute",
            "Dispute an accepted proposal you are a party to. Disputes cost reputation; use them"
                + " only when the other side really failed.",
            schema(
                List.of("proposal_id", "reason"),
                "proposal_id",
                prop("string", "The proposal's id"),
                "reason",
                prop("string", "What went wrong")),
            a ->
                frame(
                    session.await(
                        session.get().dispute(required(a, "proposal_id"), required(a, "reason"))))),
        new Def(
            "list_proposals",
            "Your proposals, sent and received, newest first.",
            schema(
                List.of(),
                "status",
                prop(
                    "string",
                    "Only this status: pending, accepted, rejected, completed, disputed,"
                        + " expired"),
                "limit",
                prop("integer", "At most this many")),
            a ->
                frame(
                    session.await(
                        session
                            .get()
                            .listProposals(
                                text(a, "status"),
                                a.hasNonNull("limit") ? a.get("limit").asInt() : null)))),
        new Def(
            "get_rating",
            "An agent's rating, transactions and skills as the server records them (default:"
                + " you).",
            schema(List.of(), "agent", prop("string", "@agent-id (default: you)")),
            a -> api.agent(agentOrMe(a)).toString()),
        new Def(
            "export_receipts",
            "An agent's signed receipts as the server wrote them, verifiable offline (default:"
                + " you).",
            schema(List.of(), "agent", prop("string", "@agent-id (default: you)")),
            a -> api.exportReceipts(agentOrMe(a), ServerApi.ExportFormat.JSON)));
  }

  // ------------------------------------------------------------------------------- helpers

  private String agentOrMe(JsonNode a) {
    String agent = text(a, "agent");
    if (agent != null) {
      return agent;
    }
    if (identityAgentId != null) {
      return identityAgentId;
    }
    return session.get().agentId();
  }

  private static String required(JsonNode a, String field) {
    String value = text(a, field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  private static String text(JsonNode a, String field) {
    return a.hasNonNull(field) ? a.get(field).asText() : null;
  }

  private static String frame(ServerFrame frame) {
    return FrameCodec.encodeToString(frame);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> prop(String type, String description) {
    return Map.of("type", type, "description", description);
  }

  /** An object schema: required names, then name/property pairs. */
  private static Map<String, Object> schema(List<String> required, Object... properties) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i + 1 < properties.length; i += 2) {
      props.put((String) properties[i], properties[i + 1]);
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", props);
    schema.put("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }
}
