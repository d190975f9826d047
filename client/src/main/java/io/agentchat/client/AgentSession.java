package io.agentchat.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What an agent can do once logged in, whoever holds the connection: an {@link AgentChatClient}
 * that logged in itself, or a link to a local daemon that holds the agent's one connection (so a
 * command run next to a daemon does not displace it). The methods mean exactly what they mean on
 * {@link AgentChatClient}; futures fail with an {@link AgentChatException} carrying the server's
 * code when the server refused.
 */
public interface AgentSession {
  /** This agent's wire id, {@code @} included. */
  String agentId();

  /** This agent's current name. */
  String name();

  /** Joins a channel; completes with the JOINED frame. */
  Future<ServerFrame.Joined> join(String channel);

  /** Leaves a channel. */
  Future<Void> leave(String channel);

  /** Sends a message to a joined {@code #channel} or an online {@code @agent}. */
  Future<Void> send(String target, String content);

  /** The public channels and their member counts. */
  Future<List<ServerFrame.ChannelSummary>> listChannels();

  /** The members of a channel with their presence. */
  Future<List<ServerFrame.AgentListing>> listAgents(String channel);

  /** Creates a channel and joins it; completes with the JOINED frame. */
  Future<ServerFrame.Joined> createChannel(String channel, boolean inviteOnly);

  /** Invites an agent to a channel this agent is a member of. */
  Future<Void> invite(String channel, String agentId);

  /** Changes this agent's name; completes with the NICK_CHANGED frame about it. */
  Future<ServerFrame.NickChanged> setNick(String nick);

  /** Registers this agent's skills (signed); completes with SKILLS_REGISTERED. */
  Future<ServerFrame.SkillsRegistered> registerSkills(ArrayNode skills);

  /** Searches the skills registry; completes with SEARCH_RESULTS. */
  Future<ServerFrame.SearchResults> searchSkills(ObjectNode query);

  /**
   * Proposes work to a keyed agent (signed); see {@link AgentChatClient#propose(String, String,
   * BigDecimal, String, String, Long, String, Long, String)}.
   */
  Future<ServerFrame.Proposal> propose(
      String to,
      String task,
      BigDecimal amount,
      String currency,
      String paymentCode,
      Long expiresSeconds,
      String terms,
      Long eloStake,
      String capability);

  /** Accepts a pending proposal addressed to this agent (signed). */
  Future<ServerFrame.Accept> accept(String proposalId, String paymentCode, Long eloStake);

  /** Rejects a pending proposal addressed to this agent (signed). */
  Future<ServerFrame.Reject> reject(String proposalId, String reason);

  /** Marks an accepted proposal this agent is a party to as done (signed). */
  Future<ServerFrame.Complete> complete(String proposalId, String proof);

  /** Disputes an accepted proposal this agent is a party to (signed). */
  Future<ServerFrame.Dispute> dispute(String proposalId, String reason);

  /** This agent's proposals, newest first. */
  Future<ServerFrame.Proposals> listProposals(String status, Integer limit);

  /** Sets the handler called with every frame received; see {@link AgentChatClient}. */
  AgentSession frameHandler(Consumer<ServerFrame> handler);

  /** Like {@link #frameHandler}, with the frame's JSON text as the server sent it. */
  AgentSession rawFrameHandler(BiConsumer<ServerFrame, String> handler);

  /** Sets the handler called once when this session ends. */
  AgentSession closeHandler(Consumer<Disconnect> handler);

  /** Ends this session (for a daemon link: only the link; the daemon stays connected). */
  Future<Void> close();
}
