package io.agentchat.protocol;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The naming rules of the protocol: agent names, nicks, channel names and agent targets. */
public final class Names {
  private static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,24}");
  private static final Pattern CHANNEL = Pattern.compile("#[A-Za-z0-9_-]{1,31}");

  /**
   * An agent target: '@' and an id. Deliberately looser than the ids we issue (16 hex or 8
   * [a-z0-9]) so that an unknown but well-meant id gets AGENT_NOT_FOUND, as in the reference,
   * rather than a validation error.
   */
  private static final Pattern AGENT_TARGET = Pattern.compile("@[A-Za-z0-9_-]{1,64}");

  /**
   * Names nobody may take. The reference enforces these for SET_NICK only, which lets an agent log
   * in as "Server"; we apply them to IDENTIFY names as well.
   */
  public static final Set<String> RESERVED =
      Set.of(
          "server",
          "admin",
          "system",
          "root",
          "moderator",
          "mod",
          "bot",
          "agentchat",
          "operator",
          "shadow",
          "god",
          "jc");

  /** Presence values an agent may set. */
  public static final Set<String> PRESENCE =
      Set.of("online", "away", "busy", "offline", "listening");

  private Names() {}

  /** True for 1–32 characters of letters, digits, '_' and '-'. */
  public static boolean isAgentName(String s) {
    return s != null && AGENT_NAME.matcher(s).matches();
  }

  /** True for 1–24 characters of letters, digits, '_' and '-' (the caller trims first). */
  public static boolean isNick(String s) {
    return s != null && NICK.matcher(s).matches();
  }

  /** True when the name is on the reserved list, ignoring case. */
  public static boolean isReserved(String s) {
    return s != null && RESERVED.contains(s.toLowerCase(Locale.ROOT));
  }

  /** True for '#' followed by 1–31 letters, digits, '_' or '-'. Case-sensitive. */
  public static boolean isChannel(String s) {
    return s != null && CHANNEL.matcher(s).matches();
  }

  /** True for '@' followed by 1–64 id characters. */
  public static boolean isAgentTarget(String s) {
    return s != null && AGENT_TARGET.matcher(s).matches();
  }
}
