package io.agentchat.marketplace.store;

import java.util.List;

/**
 * The first hits of a search, best first, and how many skills matched in all.
 *
 * @param hits at most the query's limit of hits
 * @param total number of matches before the limit
 */
public record SearchPage(List<SkillHit> hits, long total) {
  public SearchPage {
    hits = List.copyOf(hits);
  }
}
