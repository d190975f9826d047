package io.agentchat.reputation;

import java.util.List;

/**
 * Ratings replayed from the counted receipts beside the stored ones.
 *
 * @param receipts how many receipts were replayed
 * @param ratings the replayed overall ratings, by agent id, sorted
 * @param differences one line per agent whose stored standing differs from the replay (none when
 *     the invariant holds)
 */
public record Recalculation(
    long receipts, List<AgentReputation> ratings, List<String> differences) {}
