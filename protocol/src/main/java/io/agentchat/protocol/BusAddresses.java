package io.agentchat.protocol;

/**
 * The event-bus addresses between the relay and the services behind it (the marketplace today).
 * Both sides know these addresses and the messages of {@link BusMessages}, never each other's
 * classes, so the relay has no compile-time knowledge of the marketplace and the marketplace none
 * of the relay. Every message is the JSON text of a {@link BusMessages} record.
 *
 * <ul>
 *   <li>{@link #MARKETPLACE}: the relay sends each marketplace frame (PROPOSAL, ACCEPT, REJECT,
 *       COMPLETE, DISPUTE, REGISTER_SKILLS, SEARCH_SKILLS, LIST_PROPOSALS) as a {@link
 *       BusMessages.MarketplaceRequest}, answered with a {@link BusMessages.MarketplaceReply}. No
 *       consumer means ERROR SERVICE_UNAVAILABLE.
 *   <li>{@link #DELIVER}: anyone may send a {@link BusMessages.Deliver}; the relay writes the frame
 *       to that agent when it is online and answers {@link BusMessages.Delivered}.
 *   <li>{@link #CHANNEL_POST}: a {@link BusMessages.ChannelPost} posts a server message ({@code
 *       from @server}) to a channel.
 *   <li>{@link #LOOKUP}: a {@link BusMessages.Lookup} is answered with the agent's {@link
 *       BusMessages.Presence}.
 *   <li>{@link #AGENT_ONLINE}: the relay publishes a {@link BusMessages.AgentOnline} after each
 *       WELCOME, so services can hand an agent what it missed while offline, and a {@link
 *       BusMessages.AgentOffline} on {@link #AGENT_OFFLINE} when that session ends.
 *   <li>{@link #ONLINE_AGENTS}: any request is answered with {@link BusMessages.OnlineAgents}, so a
 *       service that starts after agents logged in learns who they are.
 * </ul>
 */
public final class BusAddresses {
  /** Requests for the marketplace. */
  public static final String MARKETPLACE = "agentchat.marketplace";

  /** Deliver a frame to one agent. */
  public static final String DELIVER = "agentchat.relay.deliver";

  /** Post a server message to a channel. */
  public static final String CHANNEL_POST = "agentchat.relay.channel-post";

  /** Ask whether an agent is online, and with which key. */
  public static final String LOOKUP = "agentchat.relay.lookup";

  /** Published after each login. */
  public static final String AGENT_ONLINE = "agentchat.relay.agent-online";

  /** Who is online now; for services that start after the relay. */
  public static final String ONLINE_AGENTS = "agentchat.relay.online-agents";

  /** Published when a login session ends. */
  public static final String AGENT_OFFLINE = "agentchat.relay.agent-offline";

  private BusAddresses() {}

  /** The address carrying every frame fanned out to the members of {@code channel}. */
  public static String channel(String channel) {
    return "agentchat.channel." + channel;
  }

  /**
   * The number of the session named by {@link #session}: sessions are numbered in login order
   * across the server, so a greater number is a later login.
   *
   * @return the number, or -1 for a name that is not a session address
   */
  public static long sessionNumber(String sessionAddress) {
    if (sessionAddress == null) {
      return -1;
    }
    int dot = sessionAddress.lastIndexOf('.');
    try {
      return Long.parseLong(sessionAddress.substring(dot + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The address of one login session of an agent (ids repeat across sessions; this does not). */
  public static String session(String bareId, long sessionNumber) {
    return "agentchat.agent." + bareId + "." + sessionNumber;
  }
}
