package io.agentchat.reputation.elo;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Ratings kept in memory and moved by deals applied one after another: what replaying receipts
 * needs. Each {@link #apply} settles the deal with {@link Elo#settle} against the book's current
 * standings and pair history, then records the outcome. Deals are applied in the order given; the
 * caller orders them (by completion or dispute time).
 *
 * <p>Not thread-safe: confine a book to one thread, or guard it.
 */
public final class RatingBook {
  private final Map<String, Rated> overall = new HashMap<>();
  private final Map<String, Map<String, Rated>> byCapability = new HashMap<>();
  private final Map<String, PairHistory> pairs = new HashMap<>();

  /**
   * Settles {@code deal} against the book and records the result.
   *
   * @return the same outcome {@link Elo#settle} gives for the book's standings before the deal
   */
  public Outcome apply(Deal deal) {
    Objects.requireNonNull(deal, "deal");
    String capability = deal.capability();
    String pairKey = pairKey(deal.from(), deal.to());
    Outcome outcome =
        Elo.settle(
            deal,
            rating(deal.from()),
            rating(deal.to()),
            capability == null ? null : rating(deal.from(), capability),
            capability == null ? null : rating(deal.to(), capability),
            pairs.getOrDefault(pairKey, PairHistory.NONE));
    overall.put(deal.from(), outcome.from().after());
    overall.put(deal.to(), outcome.to().after());
    outcome
        .capability()
        .ifPresent(
            c -> {
              capabilitiesOf(c.from().agentId()).put(c.name(), c.from().after());
              capabilitiesOf(c.to().agentId()).put(c.name(), c.to().after());
            });
    if (!outcome.pairAfter().equals(PairHistory.NONE)) {
      pairs.put(pairKey, outcome.pairAfter());
    }
    return outcome;
  }

  /** An agent's overall standing ({@link Rated#UNRATED} if no deal moved it). */
  public Rated rating(String agentId) {
    return overall.getOrDefault(agentId, Rated.UNRATED);
  }

  /**
   * An agent's standing for one capability, compared lower-cased ({@link Rated#UNRATED} if no deal
   * about it moved it).
   */
  public Rated rating(String agentId, String capability) {
    Map<String, Rated> ratings = byCapability.get(agentId);
    return ratings == null
        ? Rated.UNRATED
        : ratings.getOrDefault(capability.toLowerCase(Locale.ROOT), Rated.UNRATED);
  }

  /** Every agent some deal has moved, with its overall standing, sorted by id; a snapshot. */
  public Map<String, Rated> ratings() {
    return Collections.unmodifiableMap(new TreeMap<>(overall));
  }

  /**
   * An agent's standings per capability, sorted by capability (lower-cased); a snapshot, empty if
   * no deal naming a capability moved it.
   */
  public Map<String, Rated> capabilities(String agentId) {
    return Collections.unmodifiableMap(new TreeMap<>(byCapability.getOrDefault(agentId, Map.of())));
  }

  /** What the book remembers of the unordered pair {@code a}, {@code b}. */
  public PairHistory pair(String a, String b) {
    return pairs.getOrDefault(pairKey(a, b), PairHistory.NONE);
  }

  /** The key of an unordered pair: the two bare ids sorted and joined by {@code |}. */
  public static String pairKey(String a, String b) {
    return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
  }

  private Map<String, Rated> capabilitiesOf(String agentId) {
    return byCapability.computeIfAbsent(agentId, id -> new HashMap<>());
  }
}
