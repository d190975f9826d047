package io.agentchat.marketplace.store;

import io.agentchat.marketplace.spi.Standing;
import io.agentchat.marketplace.spi.StandingChange;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The skills registry held in memory for search: every registered skill, the distinct lower-cased
 * capabilities, and a bigram and trigram index over those capabilities.
 *
 * <p>Search answers with the exact {@code total} the protocol asks for, which in Postgres means
 * visiting every matching row on every query; here a query visits only the capabilities that share
 * its rarest trigram, then their skills. Postgres stays the durable store: {@link SkillRepository}
 * loads this index from it at start and applies each registration after it commits.
 *
 * <p>Not thread-safe: confined to the repository's single index thread, so it needs no locks and no
 * event loop ever waits on it.
 */
final class SkillIndex {
  /**
   * Best rated for the skill's capability first, then best rated agent, then newest registration,
   * then registry insertion order, then order within the registration.
   */
  static final Comparator<Entry> ORDER =
      (a, b) -> {
        int c = Long.compare(b.skill.rating(), a.skill.rating());
        if (c == 0) {
          c =
              Long.compare(
                  b.registration.standings.overall.rating(),
                  a.registration.standings.overall.rating());
        }
        if (c == 0) {
          c = Long.compare(b.registration.registeredAt, a.registration.registeredAt);
        }
        if (c == 0) {
          c = Long.compare(a.registration.seq, b.registration.seq);
        }
        return c != 0 ? c : Integer.compare(a.position, b.position);
      };

  /** Rebuild the gram postings once this many capabilities are no longer used by any skill. */
  private static final int COMPACT_AT_DEAD = 4096;

  private final Map<String, Registration> byAgent = new HashMap<>();

  /** Standings of rated agents, registered or not; others are {@link Standing#UNRATED}. */
  private final Map<String, AgentStandings> standings = new HashMap<>();

  private final Map<String, Capability> capabilityByText = new HashMap<>();

  /** Capabilities by id; ids are positions here and only change when the index compacts. */
  private final List<Capability> capabilities = new ArrayList<>();

  /** Gram key → ids of the capabilities containing that gram, ascending, without repeats. */
  private final Map<Long, IntList> postings = new HashMap<>();

  private int deadCapabilities;
  private int skillCount;

  /** One registration's skill, as the index keeps it. */
  static final class Entry {
    final Registration registration;
    final int position;
    final Capability capability;
    final BigDecimal rate;
    final String currencyLower;
    final String body;

    /** Position in {@code capability.entries}, so removal needs no search. */
    int slot;

    /** The agent's standing for this capability (its overall one until it has its own). */
    Standing skill;

    Entry(
        Registration registration,
        int position,
        Capability capability,
        BigDecimal rate,
        String currency,
        String body) {
      this.registration = registration;
      this.position = position;
      this.capability = capability;
      this.rate = rate;
      this.currencyLower = currency == null ? null : currency.toLowerCase(Locale.ROOT);
      this.body = body;
    }

    String agentId() {
      return registration.agentId;
    }

    long registeredAt() {
      return registration.registeredAt;
    }

    /** The agent's overall standing. */
    Standing agentStanding() {
      return registration.standings.overall;
    }
  }

  /** One agent's standings: overall, and for the capabilities it was rated in. */
  static final class AgentStandings {
    static final AgentStandings UNRATED = new AgentStandings();
    Standing overall = Standing.UNRATED;
    final Map<String, Standing> byCapability = new HashMap<>(2);

    /**
     * The standing for a capability; one never rated reports the agent's overall rating and 0
     * transactions (facts §10.3).
     */
    Standing forCapability(String lowerCapability) {
      Standing own = byCapability.get(lowerCapability);
      return own == null ? new Standing(overall.rating(), 0) : own;
    }
  }

  /** An agent's current registration. */
  static final class Registration {
    final String agentId;
    final long seq;
    final long registeredAt;
    AgentStandings standings;
    final List<Entry> entries = new ArrayList<>();

    Registration(String agentId, long seq, long registeredAt, AgentStandings standings) {
      this.agentId = agentId;
      this.seq = seq;
      this.registeredAt = registeredAt;
      this.standings = standings;
    }
  }

  /** A distinct lower-cased capability and the skills that carry it. */
  static final class Capability {
    final String text;
    int id;
    final List<Entry> entries = new ArrayList<>(1);

    Capability(String text, int id) {
      this.text = text;
      this.id = id;
    }

    boolean live() {
      return !entries.isEmpty();
    }
  }

  /** One skill to index: its columns as stored. */
  record Skill(String capability, BigDecimal rate, String currency, String body) {}

  /** The first hits of a search and the number of matches. */
  record Result(List<Entry> hits, long total) {}

  /** Distinct capabilities the index knows, including unused ones not yet compacted away. */
  int knownCapabilities() {
    return capabilities.size();
  }

  /** Distinct grams with postings. */
  int gramCount() {
    return postings.size();
  }

  /** Number of skills indexed. */
  int size() {
    return skillCount;
  }

  /** Skills the agent's indexed registration holds. */
  int sizeOf(String agentId) {
    Registration r = byAgent.get(agentId);
    return r == null ? 0 : r.entries.size();
  }

  /** The sequence number of the agent's indexed registration, or -1 if none. */
  long seqOf(String agentId) {
    Registration r = byAgent.get(agentId);
    return r == null ? -1 : r.seq;
  }

  /**
   * Makes these skills the agent's registration, unless the index already holds one at least as new
   * (registrations of one agent take increasing sequence numbers in commit order, so a late or
   * repeated update cannot bring back an older one).
   *
   * @return whether the index changed
   */
  boolean replace(String agentId, long seq, long registeredAt, List<Skill> skills) {
    Registration old = byAgent.get(agentId);
    if (old != null && old.seq >= seq) {
      return false;
    }
    if (old != null) {
      for (Entry e : old.entries) {
        detach(e);
      }
    }
    Registration registration =
        new Registration(
            agentId, seq, registeredAt, standings.getOrDefault(agentId, AgentStandings.UNRATED));
    for (Skill skill : skills) {
      add(registration, skill);
    }
    byAgent.put(agentId, registration);
    if (deadCapabilities >= COMPACT_AT_DEAD && deadCapabilities > capabilities.size() / 2) {
      compact();
    }
    return true;
  }

  /**
   * Adds one stored skill while loading rows in (sequence, position) order: a row with a new
   * sequence number starts the agent's registration afresh.
   */
  void load(String agentId, long seq, long registeredAt, Skill skill) {
    Registration registration = byAgent.get(agentId);
    if (registration == null || registration.seq != seq) {
      replace(agentId, seq, registeredAt, List.of());
      registration = byAgent.get(agentId);
    }
    add(registration, skill);
  }

  /**
   * Records an agent's standing, overall or for one capability, and re-ranks its registered skills.
   * A registration made later picks it up too.
   */
  void applyStanding(StandingChange change) {
    AgentStandings agent = standings.get(change.agentId());
    if (agent == null) {
      agent = new AgentStandings();
      standings.put(change.agentId(), agent);
      Registration registered = byAgent.get(change.agentId());
      if (registered != null) {
        // Registrations of unrated agents share UNRATED; this one now gets its own.
        registered.standings = agent;
      }
    }
    if (change.capability() == null) {
      agent.overall = change.standing();
    } else {
      agent.byCapability.put(change.capability().toLowerCase(Locale.ROOT), change.standing());
    }
    Registration registration = byAgent.get(change.agentId());
    if (registration != null) {
      for (Entry e : registration.entries) {
        e.skill = agent.forCapability(e.capability.text);
      }
    }
  }

  private void add(Registration registration, Skill skill) {
    Capability capability = capability(skill.capability().toLowerCase(Locale.ROOT));
    Entry entry =
        new Entry(
            registration,
            registration.entries.size(),
            capability,
            skill.rate(),
            skill.currency(),
            skill.body());
    entry.skill = registration.standings.forCapability(capability.text);
    registration.entries.add(entry);
    if (!capability.live()) {
      deadCapabilities--;
    }
    entry.slot = capability.entries.size();
    capability.entries.add(entry);
    skillCount++;
  }

  private void detach(Entry entry) {
    // Order within a capability does not matter (search sorts), so the last entry fills the gap.
    List<Entry> entries = entry.capability.entries;
    Entry last = entries.remove(entries.size() - 1);
    if (last != entry) {
      entries.set(entry.slot, last);
      last.slot = entry.slot;
    }
    if (!entry.capability.live()) {
      deadCapabilities++;
    }
    skillCount--;
  }

  /** The capability with this text, created (and indexed) dead if new. */
  private Capability capability(String text) {
    Capability c = capabilityByText.get(text);
    if (c == null) {
      c = new Capability(text, capabilities.size());
      capabilities.add(c);
      capabilityByText.put(text, c);
      deadCapabilities++;
      indexGrams(c);
    }
    return c;
  }

  // Only grams of ASCII characters are indexed: their number is bounded (128^3), whereas each
  // distinct gram of other scripts would add a map entry, so CJK capabilities would cost many
  // times their size. A query without an ASCII gram scans the distinct capabilities instead.
  private void indexGrams(Capability c) {
    Set<Long> seen = new HashSet<>();
    String t = c.text;
    for (int i = 0; i + 2 <= t.length(); i++) {
      if (isAscii(t, i, 2)) {
        long bigram = bigram(t.charAt(i), t.charAt(i + 1));
        if (seen.add(bigram)) {
          postings.computeIfAbsent(bigram, k -> new IntList()).add(c.id);
        }
      }
      if (i + 3 <= t.length() && isAscii(t, i, 3)) {
        long trigram = trigram(t.charAt(i), t.charAt(i + 1), t.charAt(i + 2));
        if (seen.add(trigram)) {
          postings.computeIfAbsent(trigram, k -> new IntList()).add(c.id);
        }
      }
    }
  }

  private static boolean isAscii(String text, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (text.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }

  /** Forgets capabilities no skill uses any more and renumbers the rest. */
  private void compact() {
    List<Capability> live = new ArrayList<>(capabilities.size() - deadCapabilities);
    for (Capability c : capabilities) {
      if (c.live()) {
        c.id = live.size();
        live.add(c);
      } else {
        capabilityByText.remove(c.text);
      }
    }
    capabilities.clear();
    capabilities.addAll(live);
    postings.clear();
    for (Capability c : capabilities) {
      indexGrams(c);
    }
    deadCapabilities = 0;
  }

  /**
   * The first {@code limit} matches in {@link #ORDER} and the number of all matches. Matching is as
   * the reference's: capability contains the text ignoring case, a rate (when the skill has one) at
   * most {@code maxRate}, a currency (when the skill has one) equal ignoring case.
   */
  Result search(String capability, BigDecimal maxRate, String currency, int limit) {
    Matcher matcher =
        new Matcher(
            maxRate,
            currency == null || currency.isEmpty() ? null : currency.toLowerCase(Locale.ROOT),
            limit);
    if (capability == null || capability.isEmpty()) {
      for (Registration r : byAgent.values()) {
        for (Entry e : r.entries) {
          matcher.offer(e);
        }
      }
    } else {
      offerMatching(capability.toLowerCase(Locale.ROOT), matcher);
    }
    return matcher.result();
  }

  /** Offers the skills of every live capability containing {@code q}. */
  private void offerMatching(String q, Matcher matcher) {
    // Candidates come from q's rarest indexed gram, trigrams preferred. The postings of a gram are
    // exactly the capabilities containing it, so only a query longer than that gram is checked.
    IntList rarest = null;
    int gramLength = 0;
    for (int n = 3; n >= 2 && rarest == null; n--) {
      for (int i = 0; i + n <= q.length(); i++) {
        if (!isAscii(q, i, n)) {
          continue;
        }
        IntList ids =
            postings.get(
                n == 3
                    ? trigram(q.charAt(i), q.charAt(i + 1), q.charAt(i + 2))
                    : bigram(q.charAt(i), q.charAt(i + 1)));
        if (ids == null) {
          return; // an indexed gram of q occurs in no capability
        }
        if (rarest == null || ids.size < rarest.size) {
          rarest = ids;
          gramLength = n;
        }
      }
    }
    if (rarest == null) {
      // One character, or no ASCII gram: look at every distinct capability.
      for (Capability c : capabilities) {
        if (c.live() && c.text.contains(q)) {
          matcher.offerAll(c.entries);
        }
      }
      return;
    }
    boolean verify = q.length() > gramLength;
    for (int i = 0; i < rarest.size; i++) {
      Capability c = capabilities.get(rarest.values[i]);
      if (c.live() && (!verify || c.text.contains(q))) {
        matcher.offerAll(c.entries);
      }
    }
  }

  // A trigram key fits in 48 bits; a bigram key carries bit 62, so the two never collide.
  private static long bigram(char a, char b) {
    return (1L << 62) | ((long) a << 16) | b;
  }

  private static long trigram(char a, char b, char c) {
    return ((long) a << 32) | ((long) b << 16) | c;
  }

  /** Counts matches and keeps the best {@code limit} of them. */
  private static final class Matcher {
    private final BigDecimal maxRate;
    private final String currencyLower;
    private final int limit;

    /** The best hits so far, worst at the head. */
    private final PriorityQueue<Entry> best;

    private long total;

    Matcher(BigDecimal maxRate, String currencyLower, int limit) {
      this.maxRate = maxRate;
      this.currencyLower = currencyLower;
      this.limit = limit;
      this.best = new PriorityQueue<>(Math.min(limit, 64) + 1, ORDER.reversed());
    }

    void offerAll(List<Entry> entries) {
      for (int i = 0; i < entries.size(); i++) {
        offer(entries.get(i));
      }
    }

    void offer(Entry e) {
      if (maxRate != null && e.rate != null && e.rate.compareTo(maxRate) > 0) {
        return;
      }
      if (currencyLower != null
          && e.currencyLower != null
          && !e.currencyLower.isEmpty()
          && !e.currencyLower.equals(currencyLower)) {
        return;
      }
      total++;
      if (best.size() < limit) {
        best.add(e);
      } else if (ORDER.compare(e, best.peek()) < 0) {
        best.poll();
        best.add(e);
      }
    }

    Result result() {
      Entry[] hits = best.toArray(new Entry[0]);
      Arrays.sort(hits, ORDER);
      return new Result(List.of(hits), total);
    }
  }

  /** A growable array of ints, so postings cost four bytes per capability and gram. */
  static final class IntList {
    int[] values = new int[2];
    int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }
  }
}
