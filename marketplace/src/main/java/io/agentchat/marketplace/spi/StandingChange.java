package io.agentchat.marketplace.spi;

import java.util.Objects;

/**
 * An agent's standing as it is now, overall or for one capability.
 *
 * @param agentId bare agent id (no {@code @})
 * @param capability the capability this standing is for, lower-cased, or null for the agent's
 *     overall standing
 * @param standing the new standing
 */
public record StandingChange(String agentId, String capability, Standing standing) {
  public StandingChange {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(standing, "standing");
  }
}
