package io.agentchat.marketbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Option checks and the generators, without a server. */
class MarketBenchOptionsTest {
  private static MarketBenchOptions options() {
    return new MarketBenchOptions().server("ws://127.0.0.1:6667");
  }

  @Test
  void theDefaultsAreValid() {
    options().validate();
  }

  @Test
  void moreThanOneHundredSkillsPerAgentIsRefusedWithTheAgentsNeeded() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> options().skills(100_001).agents(1000).validate());
    assertTrue(e.getMessage().contains("--agents 1001"), e.getMessage());
  }

  @Test
  void skillsAreSpreadEvenlyOverTheAgents() {
    MarketBenchOptions o = options().skills(10).agents(4);
    int sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += o.skillsOf(i);
      assertTrue(o.skillsOf(i) == 2 || o.skillsOf(i) == 3);
    }
    assertEquals(10, sum);
  }

  @Test
  void aServerUrlMustBeWebSocket() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MarketBenchOptions().server("http://x:1").validate());
  }

  @Test
  void capabilitiesAndFragmentsComeFromTheVocabulary() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      String capability = SkillVocabulary.capability(random);
      assertTrue(capability.matches("[a-z]+(_[a-z]+){1,2}_\\d{1,2}"), capability);
      assertTrue(capability.length() <= 64);
      String fragment = SkillVocabulary.fragment(random);
      assertTrue(fragment.length() >= 3 && fragment.length() <= 8, fragment);
      assertTrue(SkillVocabulary.WORDS.stream().anyMatch(w -> w.contains(fragment)), fragment);
    }
  }
}
