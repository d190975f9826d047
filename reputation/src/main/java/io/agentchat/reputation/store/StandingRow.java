package io.agentchat.reputation.store;

/**
 * An agent's row in {@code standings}, as locked by a verb.
 *
 * @param agentId bare agent id
 * @param rating its overall rating
 * @param transactions completions and disputes that counted
 * @param staked the sum of its stakes in active escrows
 * @param receipts how many receipts its chain on this server holds
 * @param head the hash of the latest of them, or null before the first
 */
public record StandingRow(
    String agentId, long rating, long transactions, long staked, long receipts, String head) {}
