package io.agentchat.marketplace.store;

import java.math.BigDecimal;

/**
 * A skills search.
 *
 * @param capability case-insensitive substring of the capability ({@code %} and {@code _} are
 *     literal), or null or empty for any
 * @param maxRate keep skills without a rate or with rate &lt;= maxRate; null for no bound
 * @param currency keep skills without a currency or with this one, ignoring case; null or empty for
 *     any
 * @param limit at most this many hits (the caller applies the protocol's bounds)
 */
public record SkillQuery(String capability, BigDecimal maxRate, String currency, int limit) {
  public SkillQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }
}
