package io.agentchat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Objects;

/**
 * Every kind of message the relay and the services behind it exchange on the event bus (addresses
 * in {@link BusAddresses}), typed in one place. A message travels as its JSON text ({@link
 * #encode}, {@link #decode}), so it is immutable on the way and needs no codec on either side.
 * Frames inside them are the frame's JSON text, passed on as they are: the relay forwards what an
 * agent sent without re-encoding it, and writes what a service made to the socket unchanged.
 */
public final class BusMessages {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private BusMessages() {}

  /**
   * An agent as the relay vouches for it.
   *
   * @param id wire id ({@code @…})
   * @param name current name
   * @param pubkey the PEM key it proved at login, or null for an ephemeral agent
   * @param verified whether it proved a key
   */
  public record Agent(String id, String name, String pubkey, boolean verified) {}

  /**
   * {@link BusAddresses#MARKETPLACE}: a marketplace frame, answered with a {@link
   * MarketplaceReply}.
   *
   * @param agent who sent it
   * @param frame the frame's text exactly as the agent sent it (the relay has validated it)
   */
  public record MarketplaceRequest(Agent agent, String frame) {}

  /**
   * The answer to a {@link MarketplaceRequest}: frames for the sender, or a refusal.
   *
   * @param frames server frames' JSON texts, in order, or null with an error
   * @param code the refusal's code, or null
   * @param message the refusal's message, or null
   */
  public record MarketplaceReply(List<String> frames, ErrorCode code, String message) {
    /** Frames for the sender. */
    public static MarketplaceReply of(String... frames) {
      return new MarketplaceReply(List.of(frames), null, null);
    }

    /** A refusal: the sender gets {@code ERROR {code, message}}. */
    public static MarketplaceReply refusal(ErrorCode code, String message) {
      return new MarketplaceReply(null, Objects.requireNonNull(code, "code"), message);
    }
  }

  /**
   * {@link BusAddresses#DELIVER}: a frame for one agent, answered with {@link Delivered}.
   *
   * @param to bare agent id
   * @param frame the frame's JSON text, written to the agent's socket as it is
   */
  public record Deliver(String to, String frame) {}

  /**
   * The answer to {@link Deliver}.
   *
   * @param delivered whether the agent was online and the frame handed to its socket
   */
  public record Delivered(boolean delivered) {}

  /**
   * {@link BusAddresses#LOOKUP}: is this agent online? Answered with {@link Presence}.
   *
   * @param id bare agent id
   */
  public record Lookup(String id) {}

  /**
   * The answer to {@link Lookup}.
   *
   * @param online whether the agent is logged in now
   * @param name its name, or null when offline
   * @param pubkey the key it proved, or null (offline or ephemeral)
   * @param session the online session's name (see {@link AgentOnline#session}), or null
   */
  public record Presence(boolean online, String name, String pubkey, String session) {
    /** Not logged in. */
    public static final Presence OFFLINE = new Presence(false, null, null, null);
  }

  /**
   * {@link BusAddresses#CHANNEL_POST}: a server message ({@code from @server}) for a channel.
   *
   * @param channel {@code #name}
   * @param content the message text
   * @param store whether it joins the channel's replay history
   */
  public record ChannelPost(String channel, String content, boolean store) {}

  /**
   * {@link BusAddresses#AGENT_ONLINE}: published after each WELCOME.
   *
   * @param ts when the agent became reachable: anything sent to it from then on arrives live
   * @param id bare agent id
   * @param name its name
   * @param pubkey the key it proved, or null for an ephemeral agent
   * @param session this login's own name, never reused: a later login of the same agent has
   *     another, so a late {@link AgentOffline} of an older session can be told apart
   */
  public record AgentOnline(long ts, String id, String name, String pubkey, String session) {}

  /**
   * The answer to a request on {@link BusAddresses#ONLINE_AGENTS}: every agent online now, as its
   * login was announced (with {@code ts} the time of the answer).
   *
   * @param agents the online agents, ephemeral ones included
   */
  public record OnlineAgents(List<AgentOnline> agents) {}

  /**
   * {@link BusAddresses#AGENT_OFFLINE}: published when a session ends (disconnect, displacement).
   *
   * @param id bare agent id
   * @param session the session that ended (see {@link AgentOnline#session})
   */
  public record AgentOffline(String id, String session) {}

  /** A message as the text the bus carries. */
  public static String encode(Record message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * The message a bus text carries.
   *
   * @throws IllegalArgumentException when the text is not a {@code type}
   */
  public static <T extends Record> T decode(String text, Class<T> type) {
    try {
      return MAPPER.readValue(Objects.requireNonNull(text, "text"), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
