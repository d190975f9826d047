package io.agentchat.marketplace.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-memory index answers exactly what a plain scan of the current registrations answers. */
class SkillIndexTest {
  private static final String[] WORDS = {
    "code",
    "Review",
    "PYTHON",
    "translate",
    "ß-data",
    "sql",
    "Ünïcode",
    "a",
    "ab",
    "x_y%z",
    "翻訳",
    "日本語レビュー",
    "ab日c"
  };

  /** The current registrations, kept the simple way: the oracle. */
  private final Map<String, List<SkillIndex.Skill>> registered = new HashMap<>();

  private final Map<String, long[]> seqAndTime = new HashMap<>();
  private final SkillIndex index = new SkillIndex();
  private long seq;

  private void register(String agent, long registeredAt, List<SkillIndex.Skill> skills) {
    seq++;
    assertTrue(index.replace(agent, seq, registeredAt, skills));
    registered.put(agent, skills);
    seqAndTime.put(agent, new long[] {seq, registeredAt});
  }

  private static SkillIndex.Skill skill(String capability, String rate, String currency) {
    return new SkillIndex.Skill(
        capability,
        rate == null ? null : new BigDecimal(rate),
        currency,
        "{\"capability\":\"" + capability + "\"}");
  }

  private record Hit(String agent, long seq, long registeredAt, int position, String capability) {}

  private List<Hit> scan(String capability, BigDecimal maxRate, String currency) {
    List<Hit> hits = new ArrayList<>();
    registered.forEach(
        (agent, skills) -> {
          long[] st = seqAndTime.get(agent);
          for (int p = 0; p < skills.size(); p++) {
            SkillIndex.Skill s = skills.get(p);
            boolean matches =
                (capability == null
                        || s.capability()
                            .toLowerCase(Locale.ROOT)
                            .contains(capability.toLowerCase(Locale.ROOT)))
                    && (maxRate == null || s.rate() == null || s.rate().compareTo(maxRate) <= 0)
                    && (currency == null
                        || currency.isEmpty()
                        || s.currency() == null
                        || s.currency().isEmpty()
                        || s.currency().equalsIgnoreCase(currency));
            if (matches) {
              hits.add(new Hit(agent, st[0], st[1], p, s.capability()));
            }
          }
        });
    hits.sort(
        (a, b) ->
            a.registeredAt != b.registeredAt
                ? Long.compare(b.registeredAt, a.registeredAt)
                : a.seq != b.seq
                    ? Long.compare(a.seq, b.seq)
                    : Integer.compare(a.position, b.position));
    return hits;
  }

  private void assertAgrees(String capability, BigDecimal maxRate, String currency, int limit) {
    List<Hit> expected = scan(capability, maxRate, currency);
    SkillIndex.Result result = index.search(capability, maxRate, currency, limit);
    String query = capability + " / " + maxRate + " / " + currency + " / " + limit;
    assertEquals(expected.size(), result.total(), () -> "total for " + query);
    List<String> want =
        expected.subList(0, Math.min(limit, expected.size())).stream()
            .map(h -> h.agent + "#" + h.position)
            .toList();
    List<String> got = result.hits().stream().map(e -> e.agentId() + "#" + e.position).toList();
    assertEquals(want, got, () -> "hits for " + query);
  }

  private static String capability(SplittableRandom random) {
    return WORDS[random.nextInt(WORDS.length)]
        + "_"
        + WORDS[random.nextInt(WORDS.length)]
        + (random.nextBoolean() ? "" : "_" + random.nextInt(50));
  }

  private static String fragment(SplittableRandom random) {
    String word = capability(random);
    int length = 1 + random.nextInt(Math.min(6, word.length()));
    int start = random.nextInt(word.length() - length + 1);
    String f = word.substring(start, start + length);
    return random.nextBoolean() ? f.toUpperCase(Locale.ROOT) : f;
  }

  @Test
  void randomRegistrationsAndQueriesAgreeWithAPlainScan() {
    SplittableRandom random = new SplittableRandom(7);
    String[] currencies = {null, "", "USD", "usd", "TEST", "eth"};
    for (int round = 0; round < 3_000; round++) {
      String agent = "agent-" + random.nextInt(400);
      List<SkillIndex.Skill> skills = new ArrayList<>();
      for (int i = random.nextInt(5); i > 0; i--) {
        skills.add(
            skill(
                capability(random),
                random.nextInt(4) == 0 ? null : String.valueOf(random.nextInt(100)) + ".25",
                currencies[random.nextInt(currencies.length)]));
      }
      // Registration times repeat, so registry order breaks ties.
      register(agent, 1_000 + round / 7, skills);
      if (round % 10 == 0) {
        String maxRate = random.nextBoolean() ? null : String.valueOf(random.nextInt(100));
        assertAgrees(
            random.nextInt(8) == 0 ? null : fragment(random),
            maxRate == null ? null : new BigDecimal(maxRate),
            currencies[random.nextInt(currencies.length)],
            1 + random.nextInt(60));
      }
    }
    assertEquals(registered.values().stream().mapToInt(List::size).sum(), index.size());
  }

  @Test
  void anOlderOrRepeatedRegistrationCannotReplaceANewerOne() {
    register("a", 2_000, List.of(skill("new-skill", null, null)));
    assertFalse(index.replace("a", seq - 1, 1_000, List.of(skill("old-skill", null, null))));
    assertFalse(index.replace("a", seq, 2_000, List.of(skill("old-skill", null, null))));
    assertEquals(0, index.search("old", null, null, 10).total());
    assertEquals(1, index.search("new", null, null, 10).total());
  }

  @Test
  void capabilitiesNoLongerUsedAreForgottenAndSearchStaysRight() {
    // 6,000 distinct capabilities, then every agent moves to a shared one: enough dead
    // capabilities to make the index renumber the live ones and rebuild its postings.
    for (int i = 0; i < 6_000; i++) {
      register("agent-" + i, 1_000, List.of(skill("unique-" + i + "-cap", null, null)));
    }
    assertAgrees("unique-59", null, null, 50);
    for (int i = 0; i < 6_000; i++) {
      register(
          "agent-" + i,
          2_000,
          List.of(
              skill(i % 2 == 0 ? "shared-even" : "shared-odd", null, null),
              skill("unique-" + i + "-cap", null, null)));
      if (i < 5_000) {
        register("agent-" + i, 3_000, List.of(skill("shared-" + (i % 3), null, null)));
      }
    }
    assertTrue(index.knownCapabilities() < 6_000, "compacted: " + index.knownCapabilities());
    assertAgrees("unique", null, null, 50);
    assertAgrees("unique-59", null, null, 50);
    assertAgrees("shared", null, null, 50);
    assertAgrees("-ca", null, null, 10);
    assertAgrees("d", null, null, 10);
    assertAgrees("ev", null, null, 10);
    assertEquals(6_000 - 5_000, index.search("unique", null, null, 1).total());
  }

  @Test
  void anEmptyRegistrationRemovesTheAgentsSkills() {
    register("a", 1_000, List.of(skill("Painting", "5", "USD")));
    register("a", 1_001, List.of());
    assertEquals(0, index.search("paint", null, null, 10).total());
    assertEquals(0, index.size());
  }

  @Test
  void capabilitiesInOtherScriptsAddNoGramsAndAreStillFound() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder cjk = new StringBuilder();
      for (int c = 0; c < 64; c++) {
        cjk.append((char) (0x4E00 + random.nextInt(20_000)));
      }
      register("cjk-" + i, 1_000 + i, List.of(skill(cjk.toString(), null, null)));
    }
    // Each distinct gram of those would be a map entry; only ASCII grams are indexed.
    assertEquals(0, index.gramCount());
    String some = registered.get("cjk-77").get(0).capability();
    assertAgrees(some.substring(10, 14), null, null, 10);
    assertAgrees(some.substring(3, 4), null, null, 10);
    register("mixed", 5_000, List.of(skill("レビュー-review-日本", null, null)));
    assertAgrees("-review-日", null, null, 10);
    assertAgrees("ュー-r", null, null, 10);
  }
}
