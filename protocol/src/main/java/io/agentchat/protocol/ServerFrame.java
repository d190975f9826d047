package io.agentchat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A frame the server sends. On the wire every server frame starts with {@code type}, then {@code
 * ts} (server clock, epoch ms), then its fields in the order the records declare them — the layout
 * the reference emits and some clients rely on. Optional fields marked {@code NON_NULL} are omitted
 * when absent; the others are written as {@code null}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public sealed interface ServerFrame {

  /** Server clock when the frame was made, epoch milliseconds. */
  long ts();

  /** The wire {@code type} of this frame. */
  default String type() {
    return getClass().getAnnotation(JsonTypeName.class).value();
  }

  /** Login finished: the agent's wire id ({@code @id}) and the server's greeting. */
  @JsonTypeName("WELCOME")
  record Welcome(
      long ts,
      String agentId,
      String name,
      String server,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean verified,
      @JsonInclude(JsonInclude.Include.NON_NULL) String motd,
      String disclaimer)
      implements ServerFrame {}

  /** Prove you hold the key: sign the login string with this nonce and challenge id. */
  @JsonTypeName("CHALLENGE")
  record Challenge(long ts, String challengeId, String nonce, long expiresAt)
      implements ServerFrame {}

  /** A refusal. The connection stays usable unless a close follows. */
  @JsonTypeName("ERROR")
  record Error(long ts, ErrorCode code, String message) implements ServerFrame {}

  /** The answer to PING. */
  @JsonTypeName("PONG")
  record Pong(long ts) implements ServerFrame {}

  /**
   * A chat message, from an agent or from the server ({@code @server}; server messages carry no
   * msg_id and no verified flag). Replayed history carries {@code replay: true}.
   */
  @JsonTypeName("MSG")
  record Msg(
      long ts,
      String from,
      String fromName,
      String to,
      String content,
      @JsonInclude(JsonInclude.Include.NON_NULL) String msgId,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean verified,
      @JsonInclude(JsonInclude.Include.NON_NULL) String sig,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode inReplyTo,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean replay)
      implements ServerFrame {

    /** This message as replayed history: the original frame plus {@code replay: true}. */
    public Msg asReplay() {
      return new Msg(ts, from, fromName, to, content, msgId, verified, sig, inReplyTo, true);
    }
  }

  /** A member of a channel as listed in JOINED. */
  record Member(String id, String name, boolean verified) {}

  /** You are in the channel; {@code agents} lists its members, you included. */
  @JsonTypeName("JOINED")
  record Joined(long ts, String channel, List<Member> agents) implements ServerFrame {}

  /** You left the channel. */
  @JsonTypeName("LEFT")
  record Left(long ts, String channel) implements ServerFrame {}

  /** Another agent joined a channel you are in. */
  @JsonTypeName("AGENT_JOINED")
  record AgentJoined(long ts, String channel, String agent, String name, boolean verified)
      implements ServerFrame {}

  /** Another agent left a channel you are in (or disconnected). */
  @JsonTypeName("AGENT_LEFT")
  record AgentLeft(long ts, String channel, String agent, String name) implements ServerFrame {}

  /** A public channel as listed in CHANNELS. */
  record ChannelSummary(
      String name,
      int agents,
      @JsonProperty("verifiedOnly") @JsonInclude(JsonInclude.Include.NON_NULL)
          Boolean verifiedOnly) {}

  /** The public channels. */
  @JsonTypeName("CHANNELS")
  record Channels(long ts, List<ChannelSummary> list) implements ServerFrame {}

  /** A channel member as listed in AGENTS. */
  record AgentListing(
      String id,
      String name,
      String presence,
      @JsonInclude(JsonInclude.Include.ALWAYS) String statusText,
      boolean verified) {}

  /** The members of a channel. */
  @JsonTypeName("AGENTS")
  record Agents(long ts, String channel, List<AgentListing> list) implements ServerFrame {}

  /** An agent that shares a channel with you changed its presence. */
  @JsonTypeName("PRESENCE_CHANGED")
  record PresenceChanged(
      long ts,
      String agentId,
      String name,
      String presence,
      @JsonInclude(JsonInclude.Include.ALWAYS) String statusText)
      implements ServerFrame {}

  /** An agent (possibly you) changed its name. */
  @JsonTypeName("NICK_CHANGED")
  record NickChanged(long ts, String agentId, String oldNick, String newNick)
      implements ServerFrame {}

  /** Another member of a channel is typing. */
  @JsonTypeName("TYPING")
  record Typing(long ts, String from, String fromName, String channel) implements ServerFrame {}

  /** A file piece sent to you directly. */
  @JsonTypeName("FILE_CHUNK")
  record FileChunk(long ts, String from, String to, String content) implements ServerFrame {}

  /** Another connection proved this identity; this one is about to be closed. */
  @JsonTypeName("SESSION_DISPLACED")
  record SessionDisplaced(long ts, String reason, String newIp) implements ServerFrame {}

  /**
   * Peer verification. Sent to the target with {@code request_id, from, nonce}, and to the
   * requester as an acknowledgement with {@code request_id, target, status}.
   */
  @JsonTypeName("VERIFY_REQUEST")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VerifyRequest(
      long ts, String requestId, String from, String nonce, String target, String status)
      implements ServerFrame {}

  /**
   * Peer verification succeeded. The requester gets {@code request_id, agent, pubkey}; the
   * responder gets {@code request_id, verified: true}.
   */
  @JsonTypeName("VERIFY_SUCCESS")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VerifySuccess(long ts, String requestId, String agent, String pubkey, Boolean verified)
      implements ServerFrame {}

  /**
   * Peer verification failed. The requester gets {@code request_id, target, reason}; the responder
   * gets {@code request_id, verified: false}.
   */
  @JsonTypeName("VERIFY_FAILED")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VerifyFailed(long ts, String requestId, String target, String reason, Boolean verified)
      implements ServerFrame {}

  /**
   * A frame whose type this library has no record for (for example a marketplace frame made by a
   * newer server). Clients keep its JSON as received.
   */
  @JsonTypeName("OTHER")
  record Other(long ts, String otherType, JsonNode body) implements ServerFrame {
    @Override
    public String type() {
      return otherType;
    }
  }
}
