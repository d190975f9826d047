package io.agentchat.protocol;

/**
 * The event-bus contract between the relay and the services behind it (the marketplace today). Both
 * sides know these addresses and JSON shapes, never each other's classes, so the relay has no
 * compile-time knowledge of the marketplace and the marketplace none of the relay.
 *
 * <ul>
 *   <li>{@link #MARKETPLACE}: the relay sends each marketplace frame (PROPOSAL, ACCEPT, REJECT,
 *       COMPLETE, DISPUTE, REGISTER_SKILLS, SEARCH_SKILLS) as a request whose body is {@code
 *       {"agent":{"id","name","pubkey","verified"},"frame":{…the frame as sent…}}}. The reply body
 *       is {@code {"frames":[…server frames for the sender…]}} or {@code
 *       {"error":{"code","message"}}}. No consumer means ERROR SERVICE_UNAVAILABLE.
 *   <li>{@link #DELIVER}: anyone may send {@code {"to":"<bare id>","frame":{…}}}; the relay
 *       delivers the frame (with a fresh {@code ts} if absent) to that agent when it is online and
 *       replies {@code {"delivered":true|false}}.
 *   <li>{@link #CHANNEL_POST}: {@code {"channel":"#name","content":"…","store":true|false}} posts a
 *       server message ({@code from @server}) to a channel; replies {@code {"posted":true|false}}.
 *   <li>{@link #LOOKUP}: {@code {"id":"<bare id>"}} is answered with {@code {"online":true|false,
 *       "name","pubkey"}} (pubkey null for ephemeral agents).
 *   <li>{@link #AGENT_ONLINE}: the relay publishes {@code {"ts","id","name","pubkey"}} after each
 *       WELCOME, so services can hand an agent what it missed while offline; {@code ts} is taken
 *       once the agent is reachable, so anything sent to it at or after {@code ts} arrived live.
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

  private BusAddresses() {}

  /** The address carrying every frame fanned out to the members of {@code channel}. */
  public static String channel(String channel) {
    return "agentchat.channel." + channel;
  }

  /** The address of one login session of an agent (ids repeat across sessions; this does not). */
  public static String session(String bareId, long sessionNumber) {
    return "agentchat.agent." + bareId + "." + sessionNumber;
  }
}
