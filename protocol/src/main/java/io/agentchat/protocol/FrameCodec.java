package io.agentchat.protocol;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.protocol.ClientFrame.Accept;
import io.agentchat.protocol.ClientFrame.Complete;
import io.agentchat.protocol.ClientFrame.CreateChannel;
import io.agentchat.protocol.ClientFrame.Dispute;
import io.agentchat.protocol.ClientFrame.FileChunk;
import io.agentchat.protocol.ClientFrame.Identify;
import io.agentchat.protocol.ClientFrame.Invite;
import io.agentchat.protocol.ClientFrame.Join;
import io.agentchat.protocol.ClientFrame.Leave;
import io.agentchat.protocol.ClientFrame.ListAgents;
import io.agentchat.protocol.ClientFrame.ListChannels;
import io.agentchat.protocol.ClientFrame.Msg;
import io.agentchat.protocol.ClientFrame.Ping;
import io.agentchat.protocol.ClientFrame.Proposal;
import io.agentchat.protocol.ClientFrame.RegisterSkills;
import io.agentchat.protocol.ClientFrame.Reject;
import io.agentchat.protocol.ClientFrame.RespondingTo;
import io.agentchat.protocol.ClientFrame.SearchSkills;
import io.agentchat.protocol.ClientFrame.SetNick;
import io.agentchat.protocol.ClientFrame.SetPresence;
import io.agentchat.protocol.ClientFrame.Typing;
import io.agentchat.protocol.ClientFrame.Unsupported;
import io.agentchat.protocol.ClientFrame.VerifyIdentity;
import io.agentchat.protocol.ClientFrame.VerifyRequest;
import io.agentchat.protocol.ClientFrame.VerifyResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns wire text into validated frame records and records into wire text. It knows nothing of
 * sockets or sessions: every check here depends on the frame alone, and every refusal is a {@link
 * ProtocolException} whose code and message go to the peer unchanged. Thread-safe.
 */
public final class FrameCodec {

  /** Largest text a frame may hold after decoding, in UTF-16 units (the reference's limit). */
  public static final int MAX_TEXT_UNITS = 2_097_152;

  /** Largest MSG or FILE_CHUNK content, in UTF-16 units. */
  public static final int MAX_CONTENT_UNITS = 2_097_152;

  /** Longest presence status line. */
  public static final int MAX_STATUS_TEXT = 100;

  /** Longest capability a proposal may name (as a skill's capability). */
  public static final int MAX_CAPABILITY = 64;

  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  /**
   * Frame types of the reference protocol that this server recognises but does not serve. They get
   * a clear "not supported" refusal instead of "Unknown message type".
   */
  private static final Set<String> UNSERVED_TYPES =
      Set.of(
          "ADMIN_APPROVE",
          "ADMIN_REVOKE",
          "ADMIN_LIST",
          "ADMIN_KICK",
          "ADMIN_BAN",
          "ADMIN_UNBAN",
          "ADMIN_MOTD",
          "DISPUTE_INTENT",
          "DISPUTE_REVEAL",
          "EVIDENCE",
          "ARBITER_ACCEPT",
          "ARBITER_DECLINE",
          "ARBITER_VOTE");

  private static final Set<String> PROPOSAL_STATUSES =
      Set.of("pending", "accepted", "rejected", "completed", "disputed", "expired");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Map<String, Class<? extends ServerFrame>> SERVER_TYPES = serverTypes();

  private FrameCodec() {}

  /** The shared, configured mapper (snake_case field names, lenient on unknown fields). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  // ---------------------------------------------------------------- client frames (server side)

  /**
   * Parses and validates one frame sent by an agent.
   *
   * @throws ProtocolException with the ERROR code and message the agent should receive
   */
  public static ClientFrame decodeClient(String text) {
    if (text == null) {
      throw ProtocolException.invalid("Invalid JSON");
    }
    if (text.length() > MAX_TEXT_UNITS) {
      throw ProtocolException.invalid(
          "Message too large (" + text.length() + " bytes, max " + MAX_TEXT_UNITS + ")");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (IOException e) {
      throw ProtocolException.invalid("Invalid JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw ProtocolException.invalid("Invalid JSON");
    }
    if (!root.isObject()) {
      // A bare `null` here crashes the reference server; it is just a malformed frame.
      throw ProtocolException.invalid("Invalid message: expected a JSON object");
    }
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isEmpty()) {
      throw ProtocolException.invalid("Missing message type");
    }
    return decodeTyped(typeNode.asText(), (ObjectNode) root);
  }

  private static ClientFrame decodeTyped(String type, ObjectNode f) {
    return switch (type) {
      case "IDENTIFY" -> identify(f);
      case "VERIFY_IDENTITY" ->
          new VerifyIdentity(
              requiredString(f, "challenge_id"),
              requiredString(f, "signature"),
              nonZeroNumber(f, "timestamp"));
      case "JOIN" -> new Join(channel(f));
      case "LEAVE" -> new Leave(channel(f));
      case "LIST_AGENTS" -> new ListAgents(channel(f));
      case "TYPING" -> new Typing(channel(f));
      case "CREATE_CHANNEL" ->
          new CreateChannel(
              channel(f), optionalBoolean(f, "invite_only"), optionalBoolean(f, "verified_only"));
      case "LIST_CHANNELS" -> new ListChannels();
      case "PING" -> new Ping();
      case "MSG" -> msg(f);
      case "FILE_CHUNK" -> fileChunk(f);
      case "INVITE" -> new Invite(channel(f), agentTarget(f, "agent"));
      case "SET_PRESENCE" -> setPresence(f);
      case "SET_NICK" -> setNick(f);
      case "RESPONDING_TO" ->
          new RespondingTo(requiredString(f, "msg_id"), channel(f), nonZeroNumber(f, "started_at"));
      case "VERIFY_REQUEST" -> verifyRequest(f);
      case "VERIFY_RESPONSE" ->
          new VerifyResponse(
              requiredString(f, "request_id"),
              requiredString(f, "nonce"),
              requiredString(f, "sig"));
      case "PROPOSAL" -> proposal(f);
      case "ACCEPT" ->
          new Accept(proposalId(f), optionalString(f, "payment_code"), eloStake(f), signature(f));
      case "REJECT" -> new Reject(proposalId(f), optionalString(f, "reason"), signature(f));
      case "COMPLETE" -> new Complete(proposalId(f), optionalString(f, "proof"), signature(f));
      case "DISPUTE" -> new Dispute(proposalId(f), nonEmptyString(f, "reason"), signature(f));
      case "REGISTER_SKILLS" -> registerSkills(f);
      case "SEARCH_SKILLS" -> searchSkills(f);
      case "LIST_PROPOSALS" -> listProposals(f);
      default -> {
        if (UNSERVED_TYPES.contains(type)) {
          yield new Unsupported(type);
        }
        throw ProtocolException.invalid("Unknown message type: " + abbreviate(type));
      }
    };
  }

  private static Identify identify(ObjectNode f) {
    JsonNode name = f.get("name");
    if (name == null || !name.isTextual() || !Names.isAgentName(name.asText())) {
      throw ProtocolException.invalid("Invalid agent name");
    }
    JsonNode pubkey = f.get("pubkey");
    if (pubkey != null && !pubkey.isNull() && !pubkey.isTextual()) {
      throw ProtocolException.invalid("Invalid public key format (must be Ed25519 PEM)");
    }
    return new Identify(name.asText(), pubkey == null || pubkey.isNull() ? null : pubkey.asText());
  }

  private static Msg msg(ObjectNode f) {
    JsonNode to = f.get("to");
    if (to == null || !to.isTextual()) {
      // A numeric `to` crashes the reference server; here it is an ordinary refusal.
      throw ProtocolException.invalid("Invalid target: must be #channel or @agent");
    }
    String target = to.asText();
    if (target.startsWith("#")) {
      if (!Names.isChannel(target)) {
        throw ProtocolException.invalid("Invalid channel name");
      }
    } else if (target.startsWith("@")) {
      if (!Names.isAgentTarget(target)) {
        throw ProtocolException.invalid("Invalid agent id: " + abbreviate(target));
      }
    } else {
      throw ProtocolException.invalid("Invalid target: must be #channel or @agent");
    }
    String content = content(f, "Content too long (max 2MB)");
    String sig = optionalString(f, "sig");
    JsonNode inReplyTo = f.get("in_reply_to");
    return new Msg(target, content, sig, isTruthy(inReplyTo) ? inReplyTo : null);
  }

  private static FileChunk fileChunk(ObjectNode f) {
    JsonNode to = f.get("to");
    if (to == null || !to.isTextual() || !Names.isAgentTarget(to.asText())) {
      throw ProtocolException.invalid("FILE_CHUNK only supports DM targets (@agent)");
    }
    return new FileChunk(to.asText(), content(f, "FILE_CHUNK too large (max 2MB)"));
  }

  private static SetPresence setPresence(ObjectNode f) {
    JsonNode status = f.get("status");
    if (status == null || !status.isTextual() || !Names.PRESENCE.contains(status.asText())) {
      throw ProtocolException.invalid(
          "Invalid presence status (use online, away, busy, offline or listening)");
    }
    String text = optionalString(f, "status_text");
    if (text != null && text.length() > MAX_STATUS_TEXT) {
      throw ProtocolException.invalid("Status text too long (max " + MAX_STATUS_TEXT + ")");
    }
    return new SetPresence(status.asText(), text == null || text.isEmpty() ? null : text);
  }

  private static SetNick setNick(ObjectNode f) {
    JsonNode nickNode = f.get("nick");
    String nick = nickNode != null && nickNode.isTextual() ? nickNode.asText().trim() : null;
    if (!Names.isNick(nick)) {
      throw ProtocolException.invalid("Invalid nick (1-24 letters, digits, _ or -)");
    }
    if (Names.isReserved(nick)) {
      throw new ProtocolException(ErrorCode.INVALID_NAME, "Nick \"" + nick + "\" is reserved");
    }
    return new SetNick(nick);
  }

  private static VerifyRequest verifyRequest(ObjectNode f) {
    String target = agentTarget(f, "target");
    JsonNode nonce = f.get("nonce");
    if (nonce == null || !nonce.isTextual()) {
      throw ProtocolException.invalid("Nonce must be a string of 16-128 characters");
    }
    String n = nonce.asText();
    if (n.length() < 16 || n.length() > 128) {
      throw ProtocolException.invalid("Nonce must be a string of 16-128 characters");
    }
    if (!NONCE.matcher(n).matches()) {
      // The target signs the nonce verbatim. Refusing '|' and other punctuation keeps a
      // VERIFY_REQUEST from being used to obtain signatures over login or proposal strings.
      throw ProtocolException.invalid("Nonce may only contain letters, digits, _ and -");
    }
    return new VerifyRequest(target, n);
  }

  private static Proposal proposal(ObjectNode f) {
    JsonNode to = f.get("to");
    if (to == null || !to.isTextual() || !Names.isAgentTarget(to.asText())) {
      throw ProtocolException.invalid("Invalid target: proposals go to @agent");
    }
    String task = nonEmptyString(f, "task");
    JsonNode amount = optionalNumber(f, "amount");
    if (amount != null && (amount.doubleValue() < 0 || !Double.isFinite(amount.doubleValue()))) {
      throw ProtocolException.invalid("amount must be a non-negative number");
    }
    JsonNode expires = optionalNumber(f, "expires");
    if (expires != null && (expires.doubleValue() < 0 || !Double.isFinite(expires.doubleValue()))) {
      throw ProtocolException.invalid("expires must be a non-negative number of seconds");
    }
    String capability = optionalString(f, "capability");
    if (capability != null && (capability.isEmpty() || capability.length() > MAX_CAPABILITY)) {
      throw ProtocolException.invalid("capability must be 1-" + MAX_CAPABILITY + " characters");
    }
    return new Proposal(
        to.asText(),
        task,
        amount,
        optionalString(f, "currency"),
        optionalString(f, "payment_code"),
        expires,
        optionalString(f, "terms"),
        eloStake(f),
        signature(f),
        capability);
  }

  private static RegisterSkills registerSkills(ObjectNode f) {
    JsonNode skills = f.get("skills");
    if (skills == null || !skills.isArray() || skills.isEmpty()) {
      throw ProtocolException.invalid("skills must be a non-empty array");
    }
    for (JsonNode skill : skills) {
      // A null item crashes the reference server; every item must be an object here.
      if (!skill.isObject()) {
        throw ProtocolException.invalid("Each skill must be an object");
      }
      JsonNode capability = skill.get("capability");
      if (capability == null || !capability.isTextual() || capability.asText().isEmpty()) {
        throw ProtocolException.invalid("Each skill needs a non-empty string capability");
      }
    }
    return new RegisterSkills((ArrayNode) skills, signature(f));
  }

  private static SearchSkills searchSkills(ObjectNode f) {
    JsonNode query = f.get("query");
    if (query == null || !query.isObject()) {
      throw ProtocolException.invalid("query must be an object");
    }
    for (String field : new String[] {"capability", "currency"}) {
      JsonNode v = query.get(field);
      if (v != null && !v.isNull() && !v.isTextual()) {
        throw ProtocolException.invalid("query." + field + " must be a string");
      }
    }
    for (String field : new String[] {"max_rate", "limit"}) {
      JsonNode v = query.get(field);
      if (v != null && !v.isNull() && !v.isNumber()) {
        throw ProtocolException.invalid("query." + field + " must be a number");
      }
    }
    return new SearchSkills((ObjectNode) query, optionalString(f, "query_id"));
  }

  private static ClientFrame.ListProposals listProposals(ObjectNode f) {
    String status = optionalString(f, "status");
    if (status != null && !PROPOSAL_STATUSES.contains(status)) {
      throw ProtocolException.invalid(
          "status must be one of pending, accepted, rejected, completed, disputed, expired");
    }
    JsonNode limit = optionalNumber(f, "limit");
    if (limit != null
        && (!limit.canConvertToInt()
            || limit.intValue() < 1
            || limit.doubleValue() != limit.intValue())) {
      throw ProtocolException.invalid("limit must be a positive integer");
    }
    return new ClientFrame.ListProposals(status, limit == null ? null : limit.intValue());
  }

  // ------------------------------------------------------------------------- field readers

  private static String channel(ObjectNode f) {
    JsonNode c = f.get("channel");
    if (c == null || !c.isTextual() || !Names.isChannel(c.asText())) {
      throw ProtocolException.invalid("Invalid channel name");
    }
    return c.asText();
  }

  private static String agentTarget(ObjectNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || !v.isTextual() || !Names.isAgentTarget(v.asText())) {
      throw ProtocolException.invalid("Invalid " + field + ": must be @agent");
    }
    return v.asText();
  }

  private static String content(ObjectNode f, String tooLong) {
    JsonNode c = f.get("content");
    if (c == null || !c.isTextual()) {
      throw ProtocolException.invalid("Content must be a string");
    }
    if (c.asText().length() > MAX_CONTENT_UNITS) {
      throw ProtocolException.invalid(tooLong);
    }
    return c.asText();
  }

  private static String requiredString(ObjectNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || !v.isTextual()) {
      throw ProtocolException.invalid("Missing or invalid " + field);
    }
    return v.asText();
  }

  private static String nonEmptyString(ObjectNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw ProtocolException.invalid(field + " must be a non-empty string");
    }
    return v.asText();
  }

  private static String optionalString(ObjectNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ProtocolException.invalid(field + " must be a string");
    }
    return v.asText();
  }

  private static boolean optionalBoolean(ObjectNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw ProtocolException.invalid(field + " must be true or false");
    }
    return v.booleanValue();
  }

  private static JsonNode optionalNumber(ObjectNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw ProtocolException.invalid(field + " must be a number");
    }
    return v;
  }

  private static double nonZeroNumber(ObjectNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || !v.isNumber() || v.doubleValue() == 0 || !Double.isFinite(v.doubleValue())) {
      throw ProtocolException.invalid("Missing or invalid " + field);
    }
    return v.doubleValue();
  }

  private static String proposalId(ObjectNode f) {
    JsonNode v = f.get("proposal_id");
    if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > 128) {
      throw ProtocolException.invalid("Missing or invalid proposal_id");
    }
    return v.asText();
  }

  private static String signature(ObjectNode f) {
    JsonNode v = f.get("sig");
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw ProtocolException.invalid("Missing signature (sig)");
    }
    return v.asText();
  }

  private static JsonNode eloStake(ObjectNode f) {
    JsonNode v = f.get("elo_stake");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()
        || v.doubleValue() < 0
        || v.doubleValue() != Math.rint(v.doubleValue())
        || v.doubleValue() > 1e9) {
      throw ProtocolException.invalid("elo_stake must be a non-negative integer");
    }
    return v;
  }

  /** JavaScript truthiness, which decides whether the reference relays a field. */
  private static boolean isTruthy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      double d = v.doubleValue();
      return d != 0 && !Double.isNaN(d);
    }
    if (v.isTextual()) {
      return !v.asText().isEmpty();
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  // -------------------------------------------------------------------------------- encoding

  /** Encodes a server frame as compact UTF-8 JSON: type, ts, then the frame's fields. */
  public static byte[] encode(ServerFrame frame) {
    try {
      if (frame instanceof ServerFrame.Other other) {
        return MAPPER.writeValueAsBytes(otherAsTree(other));
      }
      return MAPPER.writeValueAsBytes(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + frame.type(), e);
    }
  }

  /** Encodes a server frame as a JSON string. */
  public static String encodeToString(ServerFrame frame) {
    return new String(encode(frame), StandardCharsets.UTF_8);
  }

  /** Encodes a client frame as compact JSON, omitting absent optional fields. */
  public static String encode(ClientFrame frame) {
    if (frame instanceof Unsupported) {
      throw new IllegalArgumentException("Unsupported frames are never sent");
    }
    try {
      return MAPPER.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + frame.type(), e);
    }
  }

  private static ObjectNode otherAsTree(ServerFrame.Other other) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("type", other.otherType());
    out.put("ts", other.ts());
    if (other.body() != null && other.body().isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = other.body().fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("type") && !e.getKey().equals("ts")) {
          out.set(e.getKey(), e.getValue());
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- server frames (client side)

  /**
   * Parses a frame received from a server. Types without a record here come back as {@link
   * ServerFrame.Other} with their JSON intact, so a client never fails on a newer server.
   *
   * @throws IllegalArgumentException when the text is not a JSON object with a string type
   */
  public static ServerFrame decodeServer(String text) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("server sent invalid JSON", e);
    }
    if (root == null || !root.isObject() || !root.path("type").isTextual()) {
      throw new IllegalArgumentException("server sent a frame without a type");
    }
    String type = root.get("type").asText();
    Class<? extends ServerFrame> cls = SERVER_TYPES.get(type);
    long ts = root.path("ts").asLong(0);
    if (cls == null) {
      return new ServerFrame.Other(ts, type, root);
    }
    try {
      return MAPPER.treeToValue(root, cls);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // A frame we know by name but in an unexpected shape: keep it rather than fail the client.
      return new ServerFrame.Other(ts, type, root);
    }
  }

  private static Map<String, Class<? extends ServerFrame>> serverTypes() {
    Map<String, Class<? extends ServerFrame>> types = new HashMap<>();
    for (Class<?> c : ServerFrame.class.getPermittedSubclasses()) {
      JsonTypeName name = c.getAnnotation(JsonTypeName.class);
      if (name != null && c != ServerFrame.Other.class) {
        types.put(name.value(), c.asSubclass(ServerFrame.class));
        MAPPER.registerSubtypes(c);
      }
    }
    return Map.copyOf(types);
  }
}
