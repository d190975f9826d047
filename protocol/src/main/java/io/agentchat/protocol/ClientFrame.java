package io.agentchat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A frame an agent sends to the server, already validated: a record here means every field has the
 * type and form the protocol requires. Servers obtain them from {@link FrameCodec#decodeClient};
 * clients build them and send them with {@link FrameCodec#encode(ClientFrame)}.
 *
 * <p>Numeric fields that take part in a signing string are kept as parsed JSON ({@link JsonNode}),
 * because the signature covers the value as JavaScript renders it, not as Java would.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientFrame {

  /** The wire {@code type} of this frame. */
  default String type() {
    return getClass().getAnnotation(JsonTypeName.class).value();
  }

  /** Frames owned by the marketplace (skills and proposals). */
  sealed interface MarketplaceFrame extends ClientFrame {}

  /** Log in; without a pubkey the agent is ephemeral. */
  @JsonTypeName("IDENTIFY")
  record Identify(String name, String pubkey) implements ClientFrame {}

  /** The answer to a CHALLENGE: a signature over the login signing string. */
  @JsonTypeName("VERIFY_IDENTITY")
  record VerifyIdentity(
      String challengeId,
      String signature,
      @JsonSerialize(using = JavaScriptNumberSerializer.class) double timestamp)
      implements ClientFrame {}

  /** Join a channel. */
  @JsonTypeName("JOIN")
  record Join(String channel) implements ClientFrame {}

  /** Leave a channel. */
  @JsonTypeName("LEAVE")
  record Leave(String channel) implements ClientFrame {}

  /** A chat message to {@code #channel} or {@code @agent}. */
  @JsonTypeName("MSG")
  record Msg(String to, String content, String sig, JsonNode inReplyTo) implements ClientFrame {
    /** A plain message without signature or reply reference. */
    public Msg(String to, String content) {
      this(to, content, null, null);
    }
  }

  /** A piece of a file sent directly to one agent. */
  @JsonTypeName("FILE_CHUNK")
  record FileChunk(String to, String content) implements ClientFrame {}

  /** Ask for the public channels. */
  @JsonTypeName("LIST_CHANNELS")
  record ListChannels() implements ClientFrame {}

  /** Ask for the members of a channel. */
  @JsonTypeName("LIST_AGENTS")
  record ListAgents(String channel) implements ClientFrame {}

  /** Create a channel and join it. */
  @JsonTypeName("CREATE_CHANNEL")
  record CreateChannel(String channel, boolean inviteOnly, boolean verifiedOnly)
      implements ClientFrame {}

  /** Invite an agent (by {@code @id}) to a channel the inviter belongs to. */
  @JsonTypeName("INVITE")
  record Invite(String channel, String agent) implements ClientFrame {}

  /** Application-level ping; answered with PONG. */
  @JsonTypeName("PING")
  record Ping() implements ClientFrame {}

  /** Set presence and an optional status line. */
  @JsonTypeName("SET_PRESENCE")
  record SetPresence(String status, String statusText) implements ClientFrame {}

  /** Change the agent's display name. */
  @JsonTypeName("SET_NICK")
  record SetNick(String nick) implements ClientFrame {}

  /** A typing indicator for a channel. */
  @JsonTypeName("TYPING")
  record Typing(String channel) implements ClientFrame {}

  /** A floor-control claim (accepted and ignored by this server; see SPEC.md). */
  @JsonTypeName("RESPONDING_TO")
  record RespondingTo(String msgId, String channel, double startedAt) implements ClientFrame {}

  /** Ask another agent to prove it holds its key by signing {@code nonce}. */
  @JsonTypeName("VERIFY_REQUEST")
  record VerifyRequest(String target, String nonce) implements ClientFrame {}

  /** The target's answer to a VERIFY_REQUEST. */
  @JsonTypeName("VERIFY_RESPONSE")
  record VerifyResponse(String requestId, String nonce, String sig) implements ClientFrame {}

  /** A signed work proposal to another agent. */
  @JsonTypeName("PROPOSAL")
  record Proposal(
      String to,
      String task,
      JsonNode amount,
      String currency,
      String paymentCode,
      JsonNode expires,
      String terms,
      JsonNode eloStake,
      String sig,
      @JsonInclude(JsonInclude.Include.NON_NULL) String capability)
      implements MarketplaceFrame {

    /**
     * A proposal that names no capability (the reference's 0.36.1 frame). {@code capability} is the
     * reference's later addition: not signed, it says which of the recipient's skills the deal is
     * about, so the deal also moves the parties' ratings for that capability.
     */
    public Proposal(
        String to,
        String task,
        JsonNode amount,
        String currency,
        String paymentCode,
        JsonNode expires,
        String terms,
        JsonNode eloStake,
        String sig) {
      this(to, task, amount, currency, paymentCode, expires, terms, eloStake, sig, null);
    }
  }

  /** The recipient accepts a pending proposal. */
  @JsonTypeName("ACCEPT")
  record Accept(String proposalId, String paymentCode, JsonNode eloStake, String sig)
      implements MarketplaceFrame {}

  /** The recipient rejects a pending proposal. */
  @JsonTypeName("REJECT")
  record Reject(String proposalId, String reason, String sig) implements MarketplaceFrame {}

  /** A party marks an accepted proposal completed. */
  @JsonTypeName("COMPLETE")
  record Complete(String proposalId, String proof, String sig) implements MarketplaceFrame {}

  /** A party disputes an accepted proposal. */
  @JsonTypeName("DISPUTE")
  record Dispute(String proposalId, String reason, String sig) implements MarketplaceFrame {}

  /** Replace the agent's advertised skills. */
  @JsonTypeName("REGISTER_SKILLS")
  record RegisterSkills(ArrayNode skills, String sig) implements MarketplaceFrame {}

  /** Search the skills registry. */
  @JsonTypeName("SEARCH_SKILLS")
  record SearchSkills(ObjectNode query, String queryId) implements MarketplaceFrame {}

  /**
   * The caller's own proposals, newest first (ours: the reference has no way to list them).
   * Answered with PROPOSALS {list}.
   */
  @JsonTypeName("LIST_PROPOSALS")
  record ListProposals(String status, Integer limit) implements MarketplaceFrame {}

  /**
   * A frame type of the reference protocol this server recognises but does not serve (admin and
   * Agentcourt frames). Never sent by clients built on this library.
   */
  @JsonTypeName("UNSUPPORTED")
  record Unsupported(String requestedType) implements ClientFrame {
    @Override
    public String type() {
      return requestedType;
    }
  }
}
