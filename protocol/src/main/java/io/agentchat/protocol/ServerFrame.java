package io.agentchat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
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

  // ------------------------------------------------------------------------- marketplace

  /**
   * A proposal as the marketplace shows it: sent to the recipient and echoed to the proposer when
   * made, handed over at login while open, and the item type of {@link Proposals}. Agent ids carry
   * their {@code @}; times are epoch milliseconds.
   *
   * @param ts server clock
   * @param id proposal id ({@code prop_…}; the reference names it {@code id}, not {@code
   *     proposal_id})
   * @param from proposer
   * @param to recipient
   * @param task what is proposed
   * @param amount offered amount, or null; written as a plain number without trailing zeros
   * @param currency currency of the amount, or null
   * @param paymentCode proposer's payment code, or null
   * @param terms free text, or null
   * @param expires absolute expiry, or null for never
   * @param status {@code pending}, {@code accepted}, {@code rejected}, {@code completed}, {@code
   *     disputed} or {@code expired}
   * @param createdAt creation time
   * @param sig proposer's signature
   * @param eloStake ELO the proposer staked, or null
   * @param updatedAt time of the last change; always null while pending, because the reference's
   *     frame has the member only once the proposal has moved
   * @param capability the recipient's capability the deal is about (the reference's later, unsigned
   *     addition), or null; omitted when null
   */
  @JsonTypeName("PROPOSAL")
  record Proposal(
      long ts,
      String id,
      String from,
      String to,
      String task,
      @JsonSerialize(using = AmountSerializer.class) BigDecimal amount,
      String currency,
      String paymentCode,
      String terms,
      Long expires,
      String status,
      long createdAt,
      String sig,
      Long eloStake,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long updatedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String capability)
      implements ServerFrame {

    /** The status of a proposal nobody has answered yet. */
    public static final String PENDING = "pending";

    public Proposal {
      amount = AmountSerializer.normalized(amount);
      if (PENDING.equals(status)) {
        updatedAt = null;
      }
    }

    /** A proposal that names no capability, written exactly as the reference writes it. */
    public Proposal(
        long ts,
        String id,
        String from,
        String to,
        String task,
        BigDecimal amount,
        String currency,
        String paymentCode,
        String terms,
        Long expires,
        String status,
        long createdAt,
        String sig,
        Long eloStake,
        Long updatedAt) {
      this(
          ts,
          id,
          from,
          to,
          task,
          amount,
          currency,
          paymentCode,
          terms,
          expires,
          status,
          createdAt,
          sig,
          eloStake,
          updatedAt,
          null);
    }
  }

  /**
   * The recipient accepted a proposal; sent to the proposer and echoed to the acceptor.
   *
   * @param ts server clock
   * @param proposalId the proposal
   * @param status {@code accepted}
   * @param updatedAt when it was accepted
   * @param from proposer
   * @param to recipient, who accepted
   * @param paymentCode acceptor's payment code, or null
   * @param sig acceptor's signature
   * @param proposerStake ELO the proposer staked, or null
   * @param acceptorStake ELO the acceptor staked, 0 when none
   */
  @JsonTypeName("ACCEPT")
  record Accept(
      long ts,
      String proposalId,
      String status,
      long updatedAt,
      String from,
      String to,
      String paymentCode,
      String sig,
      Long proposerStake,
      long acceptorStake)
      implements ServerFrame {}

  /**
   * The recipient rejected a proposal; sent to the proposer and echoed to the recipient.
   *
   * @param ts server clock
   * @param proposalId the proposal
   * @param status {@code rejected}
   * @param updatedAt when it was rejected
   * @param from proposer
   * @param to recipient, who rejected
   * @param reason reason given, or null
   * @param sig recipient's signature
   */
  @JsonTypeName("REJECT")
  record Reject(
      long ts,
      String proposalId,
      String status,
      long updatedAt,
      String from,
      String to,
      String reason,
      String sig)
      implements ServerFrame {}

  /**
   * The ELO each party of a proposal has at stake, 0 when none.
   *
   * @param proposer the proposer's stake
   * @param acceptor the acceptor's stake
   */
  record EloStakes(long proposer, long acceptor) {}

  /**
   * A party completed an accepted proposal; sent to the other party and echoed to the completer.
   *
   * @param ts server clock
   * @param proposalId the proposal
   * @param status {@code completed}
   * @param updatedAt when it was completed
   * @param from proposer
   * @param to recipient
   * @param completedBy the party that completed it
   * @param completedAt when it was completed
   * @param proof proof given, or null
   * @param sig completer's signature
   * @param eloStakes both parties' stakes
   * @param ratingChanges rating changes per agent, or null (written as null: the reference's shape)
   * @param payment how the amount was paid (SPEC.md §7.3), or null and then omitted
   */
  @JsonTypeName("COMPLETE")
  record Complete(
      long ts,
      String proposalId,
      String status,
      long updatedAt,
      String from,
      String to,
      String completedBy,
      long completedAt,
      String proof,
      String sig,
      EloStakes eloStakes,
      JsonNode ratingChanges,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode payment)
      implements ServerFrame {

    public Complete {
      ratingChanges = absentIfNull(ratingChanges);
      payment = absentIfNull(payment);
    }
  }

  /**
   * A party disputed an accepted proposal; sent to the other party and echoed to the disputer.
   *
   * @param ts server clock
   * @param proposalId the proposal
   * @param status {@code disputed}
   * @param updatedAt when it was disputed
   * @param from proposer
   * @param to recipient
   * @param disputedBy the party that disputed it
   * @param disputedAt when it was disputed
   * @param reason reason given
   * @param sig disputer's signature
   * @param eloStakes both parties' stakes
   * @param ratingChanges rating changes per agent, or null (written as null: the reference's shape)
   * @param payment what happened to the payment, or null and then omitted (the built-in currencies
   *     report none: a TEST hold simply goes back to the proposer)
   * @param settlement {@code pending} while the other party may still contest, then {@code
   *     unilateral} or {@code mutual}; omitted when null
   * @param settlesAt when the contest window closes; omitted when null
   * @param settledAt when the dispute settled; omitted when null
   * @param contestedBy the party that contested it with its own DISPUTE; omitted when null
   * @param contestedAt when it did; omitted when null
   * @param contestReason the reason it gave; omitted when null
   * @param contestSig its signature; omitted when null
   */
  @JsonTypeName("DISPUTE")
  record Dispute(
      long ts,
      String proposalId,
      String status,
      long updatedAt,
      String from,
      String to,
      String disputedBy,
      long disputedAt,
      String reason,
      String sig,
      EloStakes eloStakes,
      JsonNode ratingChanges,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode payment,
      @JsonInclude(JsonInclude.Include.NON_NULL) String settlement,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long settlesAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long settledAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String contestedBy,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long contestedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String contestReason,
      @JsonInclude(JsonInclude.Include.NON_NULL) String contestSig)
      implements ServerFrame {

    public Dispute {
      ratingChanges = absentIfNull(ratingChanges);
      payment = absentIfNull(payment);
    }
  }

  /**
   * The answer to REGISTER_SKILLS: the agent's registration was replaced.
   *
   * @param ts server clock
   * @param agentId the registering agent
   * @param skillsCount how many skills it now advertises
   * @param registeredAt when the registration was stored
   */
  @JsonTypeName("SKILLS_REGISTERED")
  record SkillsRegistered(long ts, String agentId, int skillsCount, long registeredAt)
      implements ServerFrame {}

  /**
   * The answer to SEARCH_SKILLS. Each result is one skill as registered (every member the agent
   * gave, kept open-ended) with {@code agent_id} first and {@code registered_at}, {@code rating}
   * and {@code transactions} last.
   *
   * @param ts server clock
   * @param queryId the query_id of the search, or null (always written)
   * @param query the query as received
   * @param results the first matches, best first
   * @param total how many skills matched before the limit
   */
  @JsonTypeName("SEARCH_RESULTS")
  record SearchResults(
      long ts, String queryId, ObjectNode query, List<ObjectNode> results, long total)
      implements ServerFrame {

    public SearchResults {
      results = List.copyOf(results);
    }
  }

  /**
   * The answer to LIST_PROPOSALS: the caller's proposals, newest first, each a full PROPOSAL frame
   * with its own type and ts.
   *
   * @param ts server clock
   * @param list the proposals
   */
  @JsonTypeName("PROPOSALS")
  record Proposals(long ts, List<Proposal> list) implements ServerFrame {

    public Proposals {
      list = List.copyOf(list);
    }
  }

  /**
   * A JSON null member decodes as a {@code NullNode}; keeping Java null instead lets a decoded
   * frame equal the one the server built.
   */
  private static JsonNode absentIfNull(JsonNode value) {
    return value == null || value.isNull() ? null : value;
  }

  /**
   * A frame whose type this library has no record for (for example a frame added by a newer
   * server). Clients keep its JSON as received.
   */
  @JsonTypeName("OTHER")
  record Other(long ts, String otherType, JsonNode body) implements ServerFrame {
    @Override
    public String type() {
      return otherType;
    }
  }
}
